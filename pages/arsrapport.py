"""Årlig lägesbild: the statutory yearly situation picture (lag 2023:196 § 4), its four parts
as tabs, the analyst's texts per part, and the document as HTML, PDF or JSON."""

from functools import partial

import pandas as pd
import streamlit as st

from safetycore import yearly
from safetycore import yearly_report as yrep
from safetycore.errors import UsageError
from ui import data, entry, meeting
from ui.auth import ask_name, can, current_actor, viewer_actor
from ui.format import number
from ui.i18n import current_language, t

entry.ensure()  # the first run after a server start: see ui/entry.py

lang = current_language()
today = data.reference_date()
in_meeting = meeting.meeting_mode()
k = meeting.min_cell()
first_event = data.query("yearly_coverage", s0=pd.Timestamp(today), e0=pd.Timestamp(today))[
    "first_event"
].iloc[0]
first_year = today.year - 1 if pd.isna(first_event) else pd.Timestamp(first_event).year
years = list(range(today.year, min(first_year, today.year - 1) - 1, -1))

head, pick, inside_col, dl_col = st.columns([3.2, 1.0, 1.6, 1.4], vertical_alignment="bottom")
year = pick.selectbox(
    t("yearly.year"), years, index=1 if len(years) > 1 else 0, key="year", bind="query-params"
)
may_see_all = viewer_actor().sees_sensitive and not in_meeting
internal = inside_col.toggle(
    t("yearly.internal_toggle"),
    key="yearly_internal",
    disabled=not may_see_all,
    help=t("yearly.meeting_note")
    if in_meeting
    else (None if may_see_all else t("yearly.no_sensitive_role")),
)
internal = bool(internal and may_see_all)
p = data.derived(yearly.yearly_picture, int(year), today=today, internal=internal, min_count=k)
c = yrep.Content(p, lang, municipality=data.meta().get("municipality", ""))

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

# The document is made when a button is clicked (bound with partial: see pages/lagesbild.py).
_doc = partial(
    yrep.report_bytes, data.con(), p.year, lang=lang, internal=internal, today=today, min_count=k
)
with dl_col.popover(t("yearly.download"), width="stretch"):
    for fmt, mime in (
        ("html", "text/html"),
        ("pdf", "application/pdf"),
        ("json", "application/json"),
    ):
        st.download_button(
            t(f"yearly.download_{fmt}"),
            data=partial(_doc, fmt=fmt),
            file_name=f"arsrapport-{p.year}{'-intern' if internal else ''}.{fmt}",
            mime=mime,
            on_click="ignore",
            width="stretch",
            key=f"yearly-{fmt}",
        )

if not p.complete:
    st.caption(t("yearly.so_far"))
st.caption(t("yearly.no_filter"))
(st.error if internal else st.info)(c.privacy_note(), icon=":material/shield:")

# --- the year at a glance ------------------------------------------------------------------
m = st.columns(5)
m[0].metric(
    t("yearly.col.count", year=p.year),
    c.n(p.total.count),
    delta=None
    if p.total.count is None or p.total.previous[c.y1] is None
    else number(p.total.count - p.total.previous[c.y1]),
    delta_color="inverse",
    help=t("yearly.compared", y1=c.y1, y2=c.y2),
)
m[1].metric(t("yearly.col.per_1000"), c.n(p.total.per_1000, 1) if p.total.per_1000 else "–")
m[2].metric(
    t("yearly.col.cost", year=p.year),
    c.kr(p.total.cost_sek),
    delta=None
    if p.total.cost_sek is None or p.total.cost_previous is None
    else number(p.total.cost_sek - p.total.cost_previous),
    delta_color="inverse",
)
known = sum(v or 0 for v in p.involved.values()) or 1
m[3].metric(
    t("involvement.youth"),
    c.pct((p.involved["youth"] or 0) / known),
    help=t("yearly.metric.youth_help"),
)
m[4].metric(t("yearly.metric.changes"), str(len(p.changes)), help=t("yearly.metric.changes_help"))


def table(tb: yrep.Table, height: int | None = None) -> None:
    if not tb.rows:
        return
    st.dataframe(
        pd.DataFrame(tb.rows, columns=tb.header),
        hide_index=True,
        width="stretch",
        height=height or "auto",
    )


def analyst_text(section: str) -> None:
    """The analyst's text (as text, never Markdown) and, for a coordinator, its editor."""
    st.markdown(f"**{t('yearly.text.heading')}** · {t(f'yearly.part.{section}')}")
    saved = p.texts.get(section)
    if saved and saved.text:
        st.text(saved.text)
        st.caption(c.text_by(section))
    else:
        st.caption(t("yearly.text.none"))
    if in_meeting:
        return
    if not can("write_yearly"):
        st.caption(t("yearly.text.cannot"))
        return
    key = f"yearly-text-{p.year}-{section}"
    with st.expander(t("yearly.text.edit"), expanded=False):
        with st.form(key, border=False, enter_to_submit=False):
            st.text_area(
                t(f"yearly.part.{section}"),
                value=saved.text if saved else "",
                max_chars=yearly.MAX_TEXT,
                height=160,
                key=f"{key}-area",
                help=t("yearly.text.help"),
            )
            actor = current_actor() or ask_name()
            st.form_submit_button(
                t("yearly.text.save"),
                type="primary",
                on_click=_save,
                args=(section, key),
                disabled=actor is None,
            )
    outcome = st.session_state.pop(f"{key}-outcome", None)
    if outcome:
        (st.error if outcome.startswith("!") else st.success)(outcome.lstrip("!"))


def _save(section: str, key: str) -> None:
    actor = current_actor()
    try:
        saved = yearly.save_text(
            data.con(), actor, p.year, section, st.session_state.get(f"{key}-area", "")
        )
    except (UsageError, PermissionError) as exc:
        st.session_state[f"{key}-outcome"] = "!" + t("yearly.text.error", reason=str(exc))
        return
    original = (st.session_state.get(f"{key}-area") or "").strip()
    st.session_state[f"{key}-outcome"] = t("yearly.text.saved") + (
        " " + t("yearly.text.masked") if saved.text != original else ""
    )


tabs = st.tabs(
    [t(f"yearly.part.{part}") for part in yearly.PARTS]
    + [f"{t('yearly.part.conclusions')} · {t('yearly.part.priorities')}"],
    key="yearly_part",
    bind="query-params",
)

with tabs[0]:
    st.caption(t("yearly.intro.extent"))
    table(c.headline())
    left, right = st.columns([1.15, 1])
    with left:
        st.subheader(t("yearly.col.category"))
        table(c.categories(), height=560)
    with right:
        st.subheader(t("yearly.col.area_group"))
        table(c.groups())
        st.markdown("\n".join(f"- {line}" for line in c.change_lines()))
    analyst_text("extent")

with tabs[1]:
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
        st.altair_chart(
            yrep.weekday_hour_chart(p, lambda key, **v: t(key, **v), lang), width="stretch"
        )
    left, right = st.columns(2)
    with left:
        table(c.involved_by_category())
    with right:
        st.subheader(t("yearly.col.place"))
        table(c.places())
    analyst_text("consequences")

with tabs[2]:
    st.caption(t("yearly.intro.other"))
    table(c.sources())
    st.markdown("\n".join(f"- {line}" for line in c.gaps()))
    analyst_text("other")

with tabs[3]:
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
        st.altair_chart(yrep.season_chart(p, lambda key, **v: t(key, **v)), width="stretch")
    st.markdown("\n".join(f"- {line}" for line in c.change_lines()))
    st.subheader(t("yearly.col.action"))
    actions = c.actions()
    if actions.rows:
        table(actions)
    else:
        st.caption(t("yearly.line.no_actions"))
    analyst_text("analysis")

with tabs[4]:
    st.caption(t("yearly.law"))
    analyst_text("conclusions")
    analyst_text("priorities")
