"""Lägesbild per area group: the standouts, the categories, the map, the ratings with the
week's rating form, the tasks and a new action; and the tabs that open one group at a time.
Laid out from one ``safetycore.situation.GroupWeek`` of the week view."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from safetycore import palette
from safetycore import situation as sit
from safetycore import situation_charts as week_charts
from safetycore import situation_view as view
from safetycore.access import Actor
from safetycore.ratings import MAX_COMMENT, RATINGS, save_rating
from safetycore.taxonomy import kind_label
from ui import cache, data
from ui import state_keys as keys
from ui.auth import current_actor
from ui.filters import label_maps
from ui.format import number, plural
from ui.i18n import current_language, t
from ui.lagesbild_overview import headline_row, usual_text
from ui.text import md

try:  # the shared action form (Åtgärder); without it, new actions are added on that page
    from ui.action_form import render_action_form
except ImportError:  # pragma: no cover
    render_action_form = None

GROUP_PARAM = "situation_group"


def _labels() -> dict[str, dict[str, str]]:
    return label_maps()


def group_summary(g: sit.GroupWeek) -> str:
    rate = view.group_rate(g)
    return (
        plural("situation.group_total", g.total.week, rate=number(rate, 2))
        if rate is not None
        else plural("situation.group_total_no_rate", g.total.week)
    )


def standouts(g: sit.GroupWeek, in_meeting: bool) -> None:
    st.markdown(f"**{t('situation.standouts')}**")
    if not g.standouts:
        st.markdown(t("situation.standout_none"))
        return
    labels, lang = _labels(), current_language()
    limit = view.MEETING_STANDOUTS if in_meeting else view.STANDOUTS_SHOWN
    lines = []
    for item in view.standout_lines(g, labels["areas"], t("word.unknown_area"), limit=limit):
        if isinstance(item, view.HotspotLine):
            lines.append(
                t(
                    "signals.hotspot_line",
                    status=t(f"signals.hotspot_{item.status}"),
                    area=md(item.area),
                    since=item.since,
                    n=number(item.week),
                    expected=usual_text(item.usual),
                )
            )
            continue
        label = md(
            labels["categories"].get(item.key, item.key)
            if item.kind.startswith("category")
            else kind_label(item.key, lang)
        )
        lines.append(
            plural(
                f"situation.standout_{item.kind}",
                item.week,
                count="week",
                label=label,
                usual=usual_text(item.usual),
            )
        )
    st.markdown("\n".join(f"- {line}" for line in lines))


def category_chart(g: sit.GroupWeek, in_meeting: bool) -> None:
    st.markdown(f"**{t('situation.by_category')}**")
    categories = _labels()["categories"]
    frame = sit.category_frame(g.categories, categories, limit=6 if in_meeting else 8)
    if frame.empty or not (frame["week"].sum() or frame["usual"].sum()):
        st.caption(t("word.no_data"))
        return
    st.vega_lite_chart(
        cache.chart_spec(
            week_charts.category_chart,
            frame,
            week_title=t("situation.this_week"),
            usual_title=t("situation.usual"),
            category_title="",
            font_size=16 if in_meeting else 13,
        ),
        width="stretch",
    )
    st.caption(t("situation.category_chart_note"))


def group_map(ws: sit.WeekSituation, g: sit.GroupWeek, boundaries, height: int) -> None:
    st.markdown(f"**{t('situation.map')}**")
    tooltip = t("situation.map_tooltip", n="{n}", incidents="{incidents}", qol="{qol}")
    st.pydeck_chart(
        cache.deck(week_charts.group_deck, boundaries, g.id, g.cells, tooltip_text=tooltip),
        height=height,
        key=f"map-{g.id}",
    )
    if g.cells.empty:
        st.caption(t("situation.map_empty"))
    st.caption(
        t("situation.map_note", k=ws.min_cell) if ws.meeting else t("situation.map_note_all")
    )


def rating_strip(ws: sit.WeekSituation, g: sit.GroupWeek) -> None:
    st.markdown(f"**{t('situation.ratings')}** · {t('situation.rating_scale')}")
    if g.ratings.empty:
        st.caption(t("situation.rating_strip_empty"))
        return
    chips = []
    for label, value in view.rating_chips(g, ws.rating_weeks):
        text = f"v{label[-2:]} {value if value is not None else '–'}"
        colour = (
            palette.RATING_BADGE.get(value, palette.NO_BADGE)
            if value is not None
            else palette.NO_BADGE
        )
        chips.append(f":{colour}-badge[{text}]")
    st.markdown(" ".join(chips))


def _save_rating(group_id: str, group_name: str, week_label: str) -> None:
    key = f"{group_id}-{week_label}"
    value = st.session_state.get(f"rating-{key}")
    if value is None:
        st.session_state[f"rating-error-{key}"] = t("situation.rating_missing")
        return
    try:
        save_rating(
            data.con(),
            current_actor(),
            group_id,
            week_label,
            int(value),
            st.session_state.get(f"comment-{key}", ""),
        )
    except (ValueError, PermissionError) as exc:
        st.session_state[f"rating-error-{key}"] = str(exc)
        return
    st.session_state.pop(f"rating-error-{key}", None)
    st.toast(t("situation.rating_saved_toast", group=group_name), icon=":material/check:")


def saved_rating(g: sit.GroupWeek, week: sit.Week, in_meeting: bool) -> None:
    saved = g.rating_for(week.label)
    if not saved:
        st.caption(t("situation.rating_none", week=week.number))
        return
    st.markdown(
        t(
            "situation.rating_saved",
            week=week.number,
            rating=saved["rating"],
            comment=md(saved["comment"]) or "–",
        )
    )
    if not in_meeting:
        st.caption(
            t("situation.rating_saved_by", by=md(saved["rated_by"]), at=str(saved["rated_at"])[:16])
        )


def rating_form(g: sit.GroupWeek, week: sit.Week, actor: Actor | None, in_meeting: bool) -> None:
    """The week's rating 1-5 and a short comment, in one row under the group."""
    if actor is None:
        return
    if not actor.can("rate_areas"):
        st.caption(t("situation.rating_not_allowed"))
        return
    saved = g.rating_for(week.label)
    key = f"{g.id}-{week.label}"
    # On the shared screen one low row: the options and the button say what it is.
    labels_shown = "collapsed" if in_meeting else "visible"
    with st.form(f"rate-form-{key}", border=not in_meeting, enter_to_submit=False):
        pick, text, save = st.columns(
            [3.4, 1.5, 1.0] if in_meeting else [2.4, 2.0, 0.8], vertical_alignment="bottom"
        )
        pick.radio(
            t("situation.rating", week=week.number),
            RATINGS,
            horizontal=True,
            index=RATINGS.index(int(saved["rating"])) if saved else None,
            format_func=lambda v: t(f"situation.rating_{v}"),
            key=f"rating-{key}",
            help=t("situation.rating_help"),
            label_visibility=labels_shown,
        )
        text.text_input(
            t("situation.comment"),
            value=saved["comment"] if saved else "",
            max_chars=MAX_COMMENT,
            key=f"comment-{key}",
            help=t("situation.comment_help"),
            label_visibility=labels_shown,
            placeholder=t("situation.comment") if in_meeting else None,
        )
        save.form_submit_button(
            t("situation.save_rating"),
            type="primary",
            width="stretch",
            on_click=_save_rating,
            args=(g.id, g.name, week.label),
        )
    error = st.session_state.get(f"rating-error-{key}")
    if error:
        st.error(md(error))


def tasks(ws: sit.WeekSituation, g: sit.GroupWeek) -> None:
    st.markdown(f"**{t('situation.tasks', day=ws.as_of.isoformat())}**")
    frame = g.tasks
    st.caption(t("situation.task_counts", **view.task_counts(frame)))
    if frame.empty:
        return
    sources = _labels()["sources"]
    shown = frame.assign(
        list=frame["bucket"].map(lambda b: t(f"situation.bucket_{b}")),
        owner=frame["owner_org"].map(lambda o: sources.get(o, o)),
        day=view.task_days(frame),
    )
    if ws.meeting:  # large type for the room: a short list instead of a small-print table
        lines = [
            f"- :{palette.TASK_BADGE[r.bucket]}-badge[{r.list}] {md(r.title)} · {md(r.owner)} · "
            f"{pd.Timestamp(r.day).date().isoformat() if pd.notna(r.day) else '–'}"
            for r in shown.head(view.MEETING_TASKS).itertuples(index=False)
        ]
        if len(shown) > view.MEETING_TASKS:
            lines.append(f"- {t('situation.tasks_more', n=len(shown) - view.MEETING_TASKS)}")
        st.markdown("\n".join(lines))
        return
    st.dataframe(
        shown[["list", "title", "owner", "assignee", "day"]],
        hide_index=True,
        width="stretch",
        placeholder="–",
        column_config={
            "list": st.column_config.TextColumn(t("situation.task_list")),  # whole, not cut
            "title": st.column_config.TextColumn(t("situation.task_title"), width="medium"),
            "owner": st.column_config.TextColumn(t("situation.task_owner")),
            "assignee": t("situation.task_assignee"),
            "day": st.column_config.DateColumn(t("situation.task_day"), width="small"),
        },
    )


def new_action(g: sit.GroupWeek, week: sit.Week, actor: Actor | None, in_meeting: bool) -> None:
    if render_action_form is None or actor is None or not actor.can("edit_actions"):
        return
    title = (
        t("situation.new_action_short")
        if in_meeting
        else t("situation.new_action", group=md(g.name))
    )
    with st.expander(title, icon=":material/add_task:"):
        new_id = render_action_form(
            actor,
            key=f"situation-action-{g.id}-{week.label}",
            area_group_id=g.id,
            categories=tuple(g.flagged_categories[:1]),
        )
        if new_id:
            st.success(t("situation.new_action_saved", id=new_id))


def group_section(ws: sit.WeekSituation, g: sit.GroupWeek, actor: Actor | None, boundaries) -> None:
    in_meeting, week = ws.meeting, ws.week
    if not in_meeting:  # in meeting mode the step line names the group; here its tab does
        st.caption(group_summary(g))
    headline_row(g.headline, in_meeting)
    left, middle, right = st.columns([1.05, 0.95, 1.3] if in_meeting else [1.0, 0.85, 1.5])
    with left:
        standouts(g, in_meeting)
        category_chart(g, in_meeting)
    with middle:
        group_map(ws, g, boundaries, height=320 if in_meeting else 360)
    with right:
        rating_strip(ws, g)
        saved_rating(g, week, in_meeting)
        tasks(ws, g)
    if in_meeting:  # one row on the shared screen: the rating, and a new action beside it
        rate_col, action_col = st.columns([5.0, 1.25], vertical_alignment="center")
        with rate_col:
            rating_form(g, week, actor, in_meeting)
        with action_col:
            new_action(g, week, actor, in_meeting)
    else:
        rating_form(g, week, actor, in_meeting)
        new_action(g, week, actor, in_meeting)


def _remember_group(id_of: dict[str, str]) -> None:
    st.query_params[GROUP_PARAM] = id_of[st.session_state[keys.SITUATION_TAB]]


def group_tabs(ws: sit.WeekSituation, actor: Actor | None, boundaries) -> None:
    """One area group at a time, in meeting order: only the open tab is built and drawn, so
    the page stays light with many groups (and under the browser's limit on maps).

    The open group is in the address bar by its id (?situation_group=rimbo), as ?step= in
    meeting mode; a name, as older links carry, is understood too."""
    st.subheader(t("situation.per_group"))
    ids = [g.id for g in ws.groups]
    names = view.tab_names([md(g.name) for g in ws.groups], ids)
    name_of = dict(zip(ids, names, strict=True))
    id_of = {name: gid for gid, name in name_of.items()}
    opened = view.opened_group(st.query_params.get(GROUP_PARAM, ""), name_of)
    tabs = st.tabs(
        names,
        key=keys.SITUATION_TAB,
        default=name_of.get(opened) if opened else None,
        on_change=_remember_group,
        args=(id_of,),
    )
    for g, tab in zip(ws.groups, tabs, strict=True):
        if tab.open:
            with tab:
                group_section(ws, g, actor, boundaries)
