"""Lägesbild: the week for the situation meeting, area group by area group.

Normal mode shows the whole week on one page; meeting mode (``?mode=meeting``) shows the
overview and then one area group at a time, in large type, under the shared-screen rules.
"""

from dataclasses import replace
from functools import partial

import pandas as pd
import streamlit as st

from safetycore import report, signals
from safetycore import situation as sit
from safetycore.access import read_only_mode
from safetycore.analysis import MIN_COUNT_FOR_PERCENT, rate_per_1000
from safetycore.ratings import MAX_COMMENT, RATINGS, save_rating
from safetycore.taxonomy import KINDS, kind_label
from ui import data, entry, meeting, render
from ui import events as events_ui
from ui.auth import ask_name, current_actor, viewer_actor
from ui.cost_sections import render as render_costs
from ui.filters import current_filter, label_maps
from ui.format import number, plural, signed
from ui.i18n import current_language, t
from ui.text import md

entry.ensure()  # the first run after a server start: see ui/entry.py

try:  # the shared action form (Åtgärder); without it, new actions are added on that page
    from ui.action_form import render_action_form
except ImportError:  # pragma: no cover
    render_action_form = None

lang = current_language()
labels = label_maps(lang)
today = data.reference_date()
in_meeting = meeting.meeting_mode()
flt = current_filter()
if not viewer_actor().sees_sensitive:
    flt = replace(flt, include_sensitive=False)
k = meeting.min_cell()
RATING_COLOURS = {1: "red", 2: "orange", 3: "gray", 4: "blue", 5: "green"}
# The shared screen runs by itself on 1920x1080: every step fits without scrolling, so the
# gaps between blocks are tighter than on the normal page (large type stays; ui/meeting.py).
MEETING_LAYOUT = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 0.6rem !important;
    padding-bottom: 0.2rem !important; }
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] { gap: 0.7rem; }
[data-testid="stMetric"] { padding: 0.3rem 0.8rem !important; }
[data-testid="stMetricValue"] p { font-size: 2.6rem !important; }
[data-testid="stMainBlockContainer"] h3 { padding: 0.2rem 0 !important; }
[data-testid="stMainBlockContainer"] h2 { padding: 0.3rem 0 0.1rem 0 !important; }
</style>"""
MEETING_STANDOUTS = 3
GROUP_PARAM = "situation_group"
if in_meeting:
    st.html(MEETING_LAYOUT)

# --- Header: title, week picker, meeting toggle, report -----------------------------------------
# Every week back to the first with data can be chosen, and a week a link names (?week=2023-W12)
# is shown even when it has none, with a notice saying so (not silently the default week). A bound
# selectbox keeps its formatted option in the URL, so the options are the plain week labels.
data_weeks = data.query("situation_data_weeks", flt)
events_by_week = dict(zip(data_weeks["iso_week"], data_weeks["n"], strict=True))
asked_week, bad_week = st.query_params.get("week"), None
try:
    linked = (sit.Week.parse(asked_week).label,) if asked_week else ()
except ValueError:
    linked, bad_week = (), asked_week
default = sit.default_week(today, meeting.include_current_week())
choices = sit.week_choices(
    today,
    meeting.include_current_week(),
    oldest=data_weeks["monday"].min().date() if len(data_weeks) else None,
    extra=linked,
)


def _show_week(label: str) -> None:
    st.session_state["week"] = label


head, pick, mode_col, report_col = st.columns([3.2, 1.3, 1.1, 1.4], vertical_alignment="bottom")
week_label = pick.selectbox(
    t("situation.week"),
    choices,  # never a running week by default
    index=choices.index(default.label),
    key="week",
    bind="query-params",
    help=t("situation.week_help"),
    label_visibility="collapsed" if in_meeting else "visible",
)
week = sit.Week.parse(week_label)
head.title(t("situation.title_week", week=week.number))
week_span = t("situation.week_span", start=week.monday.isoformat(), end=week.sunday.isoformat())
if not in_meeting:  # on the shared screen the step line says it (one line less)
    head.caption(week_span)
st.session_state["_meeting_toggle"] = in_meeting
mode_col.toggle(
    t("situation.meeting_toggle"),
    key="_meeting_toggle",
    on_change=meeting.toggle_from_widget,
    args=("_meeting_toggle",),
    help=t("situation.meeting_toggle_help"),
)
if bad_week:
    st.warning(t("situation.week_bad", value=bad_week, week=week.label))
if not events_by_week.get(week.label):
    if data_weeks.empty:
        st.info(t("situation.week_no_data_at_all"), icon=":material/info:")
    else:
        first = data_weeks["iso_week"].iloc[-1]
        listed = [label for label in data_weeks["iso_week"] if label in set(choices)]
        latest = listed[0] if listed else data_weeks["iso_week"].iloc[0]
        notice, show = st.columns([4, 1.4], vertical_alignment="center")
        notice.info(
            t(
                "situation.week_no_data",
                week=week.label,
                start=week.monday.isoformat(),
                end=week.sunday.isoformat(),
                first=first,
                last=data_weeks["iso_week"].iloc[0],
            ),
            icon=":material/info:",
        )
        if listed:  # the latest week with data that the picker offers (not a week in progress)
            show.button(
                t("situation.week_show_latest", week=latest),
                on_click=_show_week,
                args=(latest,),
                key="week-latest",
                width="stretch",
            )

events_ui.open_events_section(meeting=in_meeting)  # open händelser first (ui/events.py)

ws = data.derived(sit.week_situation, week, flt, today=today, meeting=in_meeting, min_cell=k)
if ws.partial:
    st.info(t("signals.partial_week", days=round(ws.elapsed * 7)))
boundaries = data.keyed_query("area_boundaries")


# The report is made when the button is clicked. Its maker is bound with partial, not
# written as a lambda here: Streamlit keeps it for the session until the next run, and a
# function of this page would keep the page's globals (everything this run computed) with it.
_report = partial(
    report.report_bytes,
    data.con(),
    week.label,
    flt,
    lang=lang,
    today=today,
    internal=False,
    min_cell=k,
)

with report_col.popover(t("situation.report"), width="stretch"):
    st.caption(t("situation.report_help"))
    st.download_button(
        t("situation.report_html"),
        data=partial(_report, fmt="html"),
        file_name=f"lagesbild-{week.label}.html",
        mime="text/html",
        on_click="ignore",
        width="stretch",
        key="report-html",
    )
    st.download_button(
        t("situation.report_pdf"),
        data=partial(_report, fmt="pdf"),
        file_name=f"lagesbild-{week.label}.pdf",
        mime="application/pdf",
        on_click="ignore",
        width="stretch",
        key="report-pdf",
    )

actor = current_actor()
if actor is None and not in_meeting:  # the name field is in the sidebar
    actor = ask_name()


# --- Pieces ---------------------------------------------------------------------------------------
def usual_text(value: float) -> str:
    return number(value, 1)


def delta_text(fig: sit.Figure) -> str:
    cmp = fig.vs_last_week
    if cmp.too_small:
        return t("situation.vs_last_week", diff=signed(cmp.difference))
    return t("situation.vs_last_week_pct", diff=signed(cmp.difference), pct=signed(cmp.percent))


def short_delta(fig: sit.Figure) -> str:
    cmp = fig.vs_last_week
    if cmp.too_small:
        return signed(cmp.difference)
    return f"{signed(cmp.difference)} ({signed(cmp.percent)} %)"


def flag_badge(fig: sit.Figure) -> str:
    if fig.direction == "up":
        return f":red-badge[{t('situation.flag_up')}]"
    if fig.direction == "down":
        return f":blue-badge[{t('situation.flag_down')}]"
    return ""


def figure_label(key: str) -> str:
    return t("situation.total") if key == "total" else kind_label(key, lang)


def headline_row(figures: list[sit.Figure]) -> None:
    columns = st.columns(len(figures))
    for column, fig in zip(columns, figures, strict=True):
        unchanged = fig.vs_last_week.difference == 0  # no change: neither red nor green
        badge = flag_badge(fig)
        label = figure_label(fig.key)
        if badge and in_meeting:  # the flag in the card's title: no extra row on the screen
            label = f"{label} {badge}"
        column.metric(
            label,
            number(fig.week),
            delta_text(fig),
            delta_color="off" if unchanged else "inverse",
            delta_arrow="off" if unchanged else "auto",
            border=True,
            help=t("situation.flag_help"),
        )
        last_year = number(fig.last_year) if fig.last_year_known else t("signals.no_data")
        if in_meeting:  # one line a card: the screen's height is the meeting's
            column.caption(
                t(
                    "situation.compare_line_meeting",
                    words=signals.words(fig.flag, t, number),
                    last_week=number(fig.last_week),
                    last_year=last_year,
                )
            )
        else:
            column.caption(
                t(
                    "situation.compare_line",
                    last_week=number(fig.last_week),
                    last_year=last_year,
                    usual=usual_text(fig.usual),
                )
            )
            column.caption(signals.words(fig.flag, t, number))  # the expected range, in words
        if badge and not in_meeting:
            column.markdown(badge)


def trend_chart(height: int) -> None:
    st.subheader(t("situation.trend"))
    if ws.weekly.empty:
        st.info(t("word.no_data"))
        return
    st.vega_lite_chart(
        render.chart_spec(
            sit.trend_chart,
            ws.weekly,
            week,
            kind_labels={kk: kind_label(kk, lang) for kk in KINDS},
            week_title=t("word.week"),
            count_title=t("word.count"),
            kind_title=t("word.kind"),
            height=height,
            font_size=18 if in_meeting else 14,
        ),
        width="stretch",
    )


def source_frame() -> pd.DataFrame:
    frame = ws.sources.copy()
    frame["label"] = [labels["sources"].get(s, s) for s in frame["source"]]
    frame["state"] = [
        "none" if w == 0 else "low" if sit.poisson_flag(w, u).direction == "low" else "ok"
        for w, u in zip(frame["week"], frame["usual"], strict=True)
    ]
    frame["status"] = frame["state"].map(lambda s: t(f"situation.source_{s}"))
    return frame


def sources_table() -> None:
    st.subheader(
        t("situation.sources"), help=t("situation.source_badges_note") if in_meeting else None
    )
    frame = source_frame()
    if in_meeting:  # the shared screen: one badge per source, in a few lines instead of a table
        colours = {"none": "red", "low": "orange", "ok": "gray"}
        st.markdown(
            " ".join(
                f":{colours[r.state]}-badge[{r.label} {number(r.week)} "
                f"({t('situation.source_usual_short', n=number(r.usual, 1))})]"
                for r in frame.itertuples(index=False)
            )
        )
        return
    frame["usual_text"] = [number(u, 1) for u in frame["usual"]]
    st.dataframe(
        frame[["label", "week", "usual_text", "status"]],
        hide_index=True,
        width="stretch",
        placeholder="–",
        column_config={
            "label": t("word.source"),
            "week": st.column_config.NumberColumn(t("situation.source_week")),
            "usual_text": st.column_config.TextColumn(
                t("situation.source_usual"), alignment="right"
            ),
            "status": t("situation.source_status"),
        },
    )


def standouts(g: sit.GroupWeek) -> None:
    st.markdown(f"**{t('situation.standouts')}**")
    if not g.standouts:
        st.markdown(t("situation.standout_none"))
        return
    lines = []
    # New hotspots are named by their area: two cells of one area are one line, their counts
    # added, where it first appears (one label per place).
    hotspots: dict[str, list[float]] = {}
    entries: list[tuple[str, object]] = []
    for s in g.standouts:
        if s.kind == "hotspot":
            area = md(
                labels["areas"].get(s.area_id, t("word.unknown_area")) if s.area_id else g.name
            )
            if area not in hotspots:  # the busiest cell comes first: its status and start
                hotspots[area] = [0, 0.0, s.status, s.since]
                entries.append(("hotspot", area))
            hotspots[area][0] += s.week
            hotspots[area][1] += s.usual
        else:
            entries.append(("figure", s))
    for kind, item in entries[: MEETING_STANDOUTS if in_meeting else 6]:
        if kind == "hotspot":
            week_n, usual, status, since = hotspots[item]
            lines.append(
                t(
                    "signals.hotspot_line",
                    status=t(f"signals.hotspot_{status}"),
                    area=item,
                    since=since,
                    n=number(week_n),
                    expected=usual_text(usual),
                )
            )
        else:
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


def category_chart(g: sit.GroupWeek, font_size: int) -> None:
    st.markdown(f"**{t('situation.by_category')}**")
    frame = sit.category_frame(g.categories, labels["categories"], limit=6 if in_meeting else 8)
    if frame.empty or not (frame["week"].sum() or frame["usual"].sum()):
        st.caption(t("word.no_data"))
        return
    st.vega_lite_chart(
        render.chart_spec(
            sit.category_chart,
            frame,
            week_title=t("situation.this_week"),
            usual_title=t("situation.usual"),
            category_title="",
            font_size=font_size,
        ),
        width="stretch",
    )
    st.caption(t("situation.category_chart_note"))


def group_map(g: sit.GroupWeek, height: int) -> None:
    st.markdown(f"**{t('situation.map')}**")
    tooltip = t("situation.map_tooltip", n="{n}", incidents="{incidents}", qol="{qol}")
    st.pydeck_chart(
        render.deck(sit.group_deck, boundaries, g.id, g.cells, tooltip_text=tooltip),
        height=height,
        key=f"map-{g.id}",
    )
    if g.cells.empty:
        st.caption(t("situation.map_empty"))
    st.caption(
        t("situation.map_note", k=ws.min_cell) if in_meeting else t("situation.map_note_all")
    )


def rating_strip(g: sit.GroupWeek) -> None:
    st.markdown(f"**{t('situation.ratings')}** · {t('situation.rating_scale')}")
    if g.ratings.empty:
        st.caption(t("situation.rating_strip_empty"))
        return
    by_week = dict(zip(g.ratings["iso_week"], g.ratings["rating"], strict=True))
    chips = []
    for label in ws.rating_weeks:
        value = by_week.get(label)
        text = f"v{label[-2:]} {value if value is not None else '–'}"
        colour = RATING_COLOURS.get(int(value), "gray") if value is not None else "gray"
        chips.append(f":{colour}-badge[{text}]")
    st.markdown(" ".join(chips))


def _save_rating(group_id: str, group_name: str, week_label: str) -> None:
    key = f"{group_id}-{week_label}"
    value = st.session_state.get(f"rating-{key}")
    if value is None:
        st.session_state[f"rating-error-{key}"] = t("situation.rating_missing")
        return
    actor = current_actor()
    try:
        save_rating(
            data.con(),
            actor,
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


def saved_rating(g: sit.GroupWeek) -> None:
    saved = g.rating_for(week.label)
    if saved:
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
                t(
                    "situation.rating_saved_by",
                    by=md(saved["rated_by"]),
                    at=str(saved["rated_at"])[:16],
                )
            )
    else:
        st.caption(t("situation.rating_none", week=week.number))


def rating_form(g: sit.GroupWeek) -> None:
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


BUCKETS = ("overdue", "due", "done")
MEETING_TASKS = 3  # on the shared screen; the rest as "and n more"


def tasks(g: sit.GroupWeek) -> None:
    st.markdown(f"**{t('situation.tasks', day=ws.as_of.isoformat())}**")
    frame = g.tasks
    counts = frame["bucket"].value_counts()
    st.caption(t("situation.task_counts", **{b: int(counts.get(b, 0)) for b in BUCKETS}))
    if frame.empty:
        return
    shown = frame.assign(
        list=frame["bucket"].map(lambda b: t(f"situation.bucket_{b}")),
        owner=frame["owner_org"].map(lambda o: labels["sources"].get(o, o)),
        day=[
            done if bucket == "done" else due
            for bucket, due, done in zip(
                frame["bucket"], frame["due_date"], frame["done_on"], strict=True
            )
        ],
    )
    if in_meeting:  # large type for the room: a short list instead of a small-print table
        colours = {"overdue": "red", "due": "orange", "done": "green"}
        lines = [
            f"- :{colours[r.bucket]}-badge[{r.list}] {md(r.title)} · {md(r.owner)} · "
            f"{pd.Timestamp(r.day).date().isoformat() if pd.notna(r.day) else '–'}"
            for r in shown.head(MEETING_TASKS).itertuples(index=False)
        ]
        if len(shown) > MEETING_TASKS:
            lines.append(f"- {t('situation.tasks_more', n=len(shown) - MEETING_TASKS)}")
        st.markdown("\n".join(lines))
        return
    columns = ["list", "title", "owner", "day"]
    if not in_meeting:
        columns.insert(3, "assignee")
    st.dataframe(
        shown[columns],
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


def new_action(g: sit.GroupWeek) -> None:
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


def group_summary(g: sit.GroupWeek) -> str:
    rate = rate_per_1000(g.total.week, g.population)
    return (
        plural("situation.group_total", g.total.week, rate=number(rate, 2))
        if rate is not None
        else plural("situation.group_total_no_rate", g.total.week)
    )


def group_section(g: sit.GroupWeek) -> None:
    if not in_meeting:  # in meeting mode the step line names the group; here its tab does
        st.caption(group_summary(g))
    headline_row(g.headline)
    left, middle, right = st.columns([1.05, 0.95, 1.3] if in_meeting else [1.0, 0.85, 1.5])
    with left:
        standouts(g)
        category_chart(g, font_size=16 if in_meeting else 13)
    with middle:
        group_map(g, height=320 if in_meeting else 360)
    with right:
        rating_strip(g)
        saved_rating(g)
        tasks(g)
    if in_meeting:  # one row on the shared screen: the rating, and a new action beside it
        rate_col, action_col = st.columns([5.0, 1.25], vertical_alignment="center")
        with rate_col:
            rating_form(g)
        with action_col:
            new_action(g)
    else:
        rating_form(g)
        new_action(g)


def groups_table() -> None:
    """Every area group in one table: the week, the change, the rate and the rating."""
    st.subheader(t("situation.groups"))
    rows = []
    for g in ws.groups:
        fig = g.total
        saved = g.rating_for(week.label)
        rows.append(
            {
                "group": g.name,
                "week": fig.week,
                "change": short_delta(fig),
                "expected": number(fig.expected, 1),  # text: the decimal comma in any browser
                "rate": number(rate_per_1000(fig.week, g.population), 2),
                "flag": {"up": t("situation.flag_up"), "down": t("situation.flag_down")}.get(
                    fig.direction, ""
                ),
                "rating": int(saved["rating"]) if saved else None,
            }
        )
    frame = pd.DataFrame(
        rows, columns=["group", "week", "change", "expected", "rate", "flag", "rating"]
    )
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        placeholder="–",
        column_config={
            "group": t("word.area_group"),
            "week": st.column_config.NumberColumn(t("situation.this_week")),
            "change": t("situation.change"),
            "expected": st.column_config.TextColumn(t("situation.usual"), alignment="right"),
            "rate": st.column_config.TextColumn(t("situation.rate"), alignment="right"),
            "flag": st.column_config.TextColumn(
                t("situation.flag"),  # the flag whole
                width=165 if in_meeting else 140,
            ),
            "rating": st.column_config.NumberColumn(
                t("report.rating"), format="%d", width="small", help=t("situation.rating_scale")
            ),
        },
    )


def overview() -> None:
    headline_row(ws.headline)
    notes = [t("situation.small_counts", n=MIN_COUNT_FOR_PERCENT)]
    if ws.unplaced.week:
        notes.append(plural("situation.unplaced", ws.unplaced.week))
    st.caption(" ".join(notes))
    left, right = st.columns([1.6, 1.0] if not in_meeting else [1.45, 1.0])
    with left:
        groups_table()
        if not in_meeting:
            trend_chart(height=260)
    with right:
        if in_meeting:  # beside the table, so the step fits the screen
            trend_chart(height=250)  # the whole chart, legend and axes included
        sources_table()


# --- Layout ---------------------------------------------------------------------------------------
group_ids = [g.id for g in ws.groups]
meeting_read_only = read_only_mode()
if in_meeting:
    step = meeting.current_step(group_ids)
    order = meeting.steps(group_ids)
    i = order.index(step)
    names = {meeting.OVERVIEW: t("situation.overview"), **{g.id: md(g.name) for g in ws.groups}}
    nav_prev, nav_text, nav_next = st.columns([1, 3.8, 1], vertical_alignment="center")
    nav_prev.button(
        t("situation.prev"),
        key="meeting-prev",
        width="stretch",
        disabled=i == 0,
        on_click=meeting.go_to,
        args=(order[max(i - 1, 0)],),
        shortcut="PageUp",
    )  # a presentation clicker sends PageUp / PageDown
    step_line = t("situation.step", i=i + 1, n=len(order), name=names[step])
    step_line += " · " + (week_span if step == meeting.OVERVIEW else group_summary(ws.group(step)))
    nav_text.markdown(f"### {step_line}")
    nav_next.button(
        t("situation.next"),
        key="meeting-next",
        width="stretch",
        type="primary",
        disabled=i == len(order) - 1,
        on_click=meeting.go_to,
        args=(order[min(i + 1, len(order) - 1)],),
        shortcut="PageDown",
    )
    if step == meeting.OVERVIEW:
        overview()  # the week's costs are left to Trender: the overview must fit one screen
    else:
        group_section(ws.group(step))
    st.caption(t("situation.meeting_rules", k=k))
else:
    st.caption(t("situation.intro"))
    overview()
    render_costs(sit.week_filter(flt, week.monday, week.sunday), compact=True)
    st.divider()
    if not ws.groups:
        st.info(t("situation.no_groups"))
    else:
        # One area group at a time, in meeting order: only the open tab is built and drawn,
        # so the page stays light with many groups (and under the browser's limit on maps).
        st.subheader(t("situation.per_group"))
        names = [md(g.name) for g in ws.groups]
        # Tab labels must be unique to be bound to the address bar.
        names = [
            n if names.count(n) == 1 else f"{n} ({g.id})"
            for n, g in zip(names, ws.groups, strict=True)
        ]
        # The open group is in the address bar by its id (?situation_group=rimbo), as ?step= in
        # meeting mode; a name, as older links carry, is understood too.
        name_of = dict(zip(group_ids, names, strict=True))
        id_of = {name: gid for gid, name in name_of.items()}
        asked = st.query_params.get(GROUP_PARAM, "")
        opened = asked if asked in name_of else id_of.get(asked)

        def _remember_group() -> None:
            st.query_params[GROUP_PARAM] = id_of[st.session_state["situation_tab"]]

        tabs = st.tabs(
            names, key="situation_tab", default=name_of.get(opened), on_change=_remember_group
        )
        for g, tab in zip(ws.groups, tabs, strict=True):
            if tab.open:
                with tab:
                    group_section(g)
