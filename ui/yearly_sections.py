"""Årlig lägesbild's sections: the year and version pickers, the heading, the document's
downloads, the year at a glance, the four parts with the conclusions, and the analyst's text
under each. Each takes the page's view (``safetycore.yearly_view.YearlyView``) and small
values, and lays it out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from safetycore import yearly
from safetycore import yearly_report as yrep
from safetycore.errors import UsageError
from safetycore.yearly_view import YearChoices, YearlyView
from ui import data
from ui.auth import ask_name, can, current_actor
from ui.format import number
from ui.i18n import t

YEAR_KEY = "year"  # in the URL
INTERNAL_KEY = "yearly_internal"
PART_KEY = "yearly_part"  # the tab shown, in the URL
AREA_SUFFIX = "-area"  # after text_key: the text area of the analyst's text
OUTCOME_SUFFIX = "-outcome"  # after text_key: the last save's outcome, shown once
DOWNLOADS = (("html", "text/html"), ("pdf", "application/pdf"), ("json", "application/json"))


def text_key(year: int, section: str) -> str:
    """The analyst's text form of one section of one year; its text area and the outcome of
    the last save are keyed after it."""
    return f"yearly-text-{year}-{section}"


def download_key(fmt: str) -> str:
    return f"yearly-{fmt}"


@dataclass(frozen=True)
class Controls:
    """What the top row gives the page: where the heading and the downloads go, the year
    chosen and whether the internal version is shown."""

    head: DeltaGenerator  # the column for the heading
    downloads: DeltaGenerator  # the column for the document's downloads
    year: int
    internal: bool


def controls(choices: YearChoices, *, sees_sensitive: bool, in_meeting: bool) -> Controls:
    """The top row: heading (filled later), the year, the internal version, the downloads."""
    head, pick, inside_col, dl_col = st.columns([3.2, 1.0, 1.6, 1.4], vertical_alignment="bottom")
    year = pick.selectbox(
        t("yearly.year"),
        list(choices.years),
        index=choices.default_index,
        key=YEAR_KEY,
        bind="query-params",
    )
    may_see_all = sees_sensitive and not in_meeting
    internal = inside_col.toggle(
        t("yearly.internal_toggle"),
        key=INTERNAL_KEY,
        disabled=not may_see_all,
        help=t("yearly.meeting_note")
        if in_meeting
        else (None if may_see_all else t("yearly.no_sensitive_role")),
    )
    return Controls(head, dl_col, int(year), bool(internal and may_see_all))


def heading(head: DeltaGenerator, view: YearlyView) -> None:
    p, c = view.picture, view.content
    head.title(t("yearly.title", year=p.year))
    head.caption(
        t(
            "yearly.subtitle",
            municipality=c.municipality,
            start=p.span.start.isoformat(),
            end=p.span.end.isoformat(),
        )
        + " · "
        + t("yearly.compared", y1=c.y1, y2=c.y2)
    )


def downloads(
    column: DeltaGenerator, view: YearlyView, *, lang: str, today: dt.date, k: int
) -> None:
    """The document, made when a button is clicked (bound with partial, not a closure: see
    ``ui/lagesbild_layout.py``'s report_popover)."""
    doc = partial(
        yrep.report_bytes,
        data.con(),
        view.year,
        lang=lang,
        internal=view.internal,
        today=today,
        min_count=k,
    )
    with column.popover(t("yearly.download"), width="stretch"):
        for fmt, mime in DOWNLOADS:
            st.download_button(
                t(f"yearly.download_{fmt}"),
                data=partial(doc, fmt=fmt),
                file_name=f"{view.file_stem}.{fmt}",
                mime=mime,
                on_click="ignore",
                width="stretch",
                key=download_key(fmt),
            )


def notes(view: YearlyView) -> None:
    """Whether the year is complete, that no filter applies, and who may see the version."""
    if not view.picture.complete:
        st.caption(t("yearly.so_far"))
    st.caption(t("yearly.no_filter"))
    (st.error if view.internal else st.info)(view.content.privacy_note(), icon=":material/shield:")


def glance(view: YearlyView) -> None:
    """The year at a glance: count, rate, cost, young people's share, standing-out changes."""
    p, c = view.picture, view.content
    m = st.columns(5)
    m[0].metric(
        t("yearly.col.count", year=p.year),
        c.n(p.total.count),
        delta=None if view.count_delta is None else number(view.count_delta),
        delta_color="inverse",
        help=t("yearly.compared", y1=c.y1, y2=c.y2),
    )
    m[1].metric(t("yearly.col.per_1000"), c.n(p.total.per_1000, 1) if p.total.per_1000 else "–")
    m[2].metric(
        t("yearly.col.cost", year=p.year),
        c.kr(p.total.cost_sek),
        delta=None if view.cost_delta is None else number(view.cost_delta),
        delta_color="inverse",
    )
    m[3].metric(t("involvement.youth"), c.pct(view.youth_share), help=t("yearly.metric.youth_help"))
    m[4].metric(
        t("yearly.metric.changes"), str(len(p.changes)), help=t("yearly.metric.changes_help")
    )


def table(tb: yrep.Table, height: int | None = None) -> None:
    if not tb.rows:
        return
    st.dataframe(
        pd.DataFrame(tb.rows, columns=tb.header),
        hide_index=True,
        width="stretch",
        height=height or "auto",
    )


def part_tabs() -> list:
    """The four parts and the conclusions with the priorities, the one shown in the URL."""
    return st.tabs(
        [t(f"yearly.part.{part}") for part in yearly.PARTS]
        + [f"{t('yearly.part.conclusions')} · {t('yearly.part.priorities')}"],
        key=PART_KEY,
        bind="query-params",
    )


def analyst_text(view: YearlyView, section: str, *, in_meeting: bool) -> None:
    """The analyst's text (as text, never Markdown) and, for a coordinator, its editor."""
    st.markdown(f"**{t('yearly.text.heading')}** · {t(f'yearly.part.{section}')}")
    saved = view.picture.texts.get(section)
    if saved and saved.text:
        st.text(saved.text)
        st.caption(view.content.text_by(section))
    else:
        st.caption(t("yearly.text.none"))
    if in_meeting:
        return
    if not can("write_yearly"):
        st.caption(t("yearly.text.cannot"))
        return
    key = text_key(view.year, section)
    with st.expander(t("yearly.text.edit"), expanded=False):
        with st.form(key, border=False, enter_to_submit=False):
            st.text_area(
                t(f"yearly.part.{section}"),
                value=saved.text if saved else "",
                max_chars=yearly.MAX_TEXT,
                height=160,
                key=key + AREA_SUFFIX,
                help=t("yearly.text.help"),
            )
            actor = current_actor() or ask_name()
            st.form_submit_button(
                t("yearly.text.save"),
                type="primary",
                on_click=_save,
                args=(view.year, section, key),
                disabled=actor is None,
            )
    outcome = st.session_state.pop(key + OUTCOME_SUFFIX, None)
    if outcome:
        (st.error if outcome.startswith("!") else st.success)(outcome.lstrip("!"))


def _save(year: int, section: str, key: str) -> None:
    actor = current_actor()
    try:
        saved = yearly.save_text(
            data.con(), actor, year, section, st.session_state.get(key + AREA_SUFFIX, "")
        )
    except (UsageError, PermissionError) as exc:
        st.session_state[key + OUTCOME_SUFFIX] = "!" + t("yearly.text.error", reason=str(exc))
        return
    original = (st.session_state.get(key + AREA_SUFFIX) or "").strip()
    st.session_state[key + OUTCOME_SUFFIX] = t("yearly.text.saved") + (
        " " + t("yearly.text.masked") if saved.text != original else ""
    )


def _changes(view: YearlyView) -> None:
    st.markdown("\n".join(f"- {line}" for line in view.content.change_lines()))


def extent(view: YearlyView, *, in_meeting: bool) -> None:
    """Part 1: the year's figures by kind, category and area group, and what stands out."""
    c = view.content
    st.caption(t("yearly.intro.extent"))
    table(c.headline())
    left, right = st.columns([1.15, 1])
    with left:
        st.subheader(t("yearly.col.category"))
        table(c.categories(), height=560)
    with right:
        st.subheader(t("yearly.col.area_group"))
        table(c.groups())
        _changes(view)
    analyst_text(view, "extent", in_meeting=in_meeting)


def consequences(view: YearlyView, *, lang: str, in_meeting: bool) -> None:
    """Part 2: the costs, who was involved, the hours and the places."""
    p, c = view.picture, view.content
    st.caption(t("yearly.intro.consequences"))
    st.markdown(f"**{c.cost_total()}**")
    left, right = st.columns(2)
    with left:
        table(c.costs_by_category())
    with right:
        table(c.costs_by_group())
        st.subheader(t("involvement.involved"))
        table(c.involved())
        st.caption(c.involved_note())
    st.subheader(t("yearly.col.hours"))
    st.caption(c.busiest_line())
    if not p.weekday_hour.empty:
        st.altair_chart(yrep.weekday_hour_chart(p, t, lang), width="stretch")
    left, right = st.columns(2)
    with left:
        table(c.involved_by_category())
    with right:
        st.subheader(t("yearly.col.place"))
        table(c.places())
    analyst_text(view, "consequences", in_meeting=in_meeting)


def other(view: YearlyView, *, in_meeting: bool) -> None:
    """Part 3: the sources behind the picture and what they leave out."""
    st.caption(t("yearly.intro.other"))
    table(view.content.sources())
    st.markdown("\n".join(f"- {line}" for line in view.content.gaps()))
    analyst_text(view, "other", in_meeting=in_meeting)


def analysis(view: YearlyView, *, in_meeting: bool) -> None:
    """Part 4: the places persistent, emerging and fading, the season, the actions."""
    p, c = view.picture, view.content
    st.caption(t("yearly.intro.analysis"))
    cols = st.columns(3)
    for col, status in zip(cols, ("persistent", "emerging", "fading"), strict=True):
        with col:
            st.markdown(f"**{t(f'yearly.status.{status}')}**")
            tb = c.places((status,), limit=8)
            if tb.rows:
                table(tb)
            else:
                st.caption("–")
    st.subheader(t("yearly.col.month"))
    st.caption(c.peak_line())
    if not p.months.empty:
        st.altair_chart(yrep.season_chart(p, t), width="stretch")
    _changes(view)
    st.subheader(t("yearly.col.action"))
    actions = c.actions()
    if actions.rows:
        table(actions)
    else:
        st.caption(t("yearly.line.no_actions"))
    analyst_text(view, "analysis", in_meeting=in_meeting)


def conclusions(view: YearlyView, *, in_meeting: bool) -> None:
    """The conclusions and priorities the law asks for, written by the analyst."""
    st.caption(t("yearly.law"))
    analyst_text(view, "conclusions", in_meeting=in_meeting)
    analyst_text(view, "priorities", in_meeting=in_meeting)
