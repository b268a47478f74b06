"""The shared-screen meeting mode: detection, large type, one step at a time.

``?mode=meeting`` in the address bar (or the toggle on the Lägesbild page) turns it on. The
mode hides the sidebar, enlarges the type for a 1920x1080 screen at the front of a room, and
walks through the overview and then one area group at a time (``?step=<group id>``). What it
may show is decided in safetycore.situation (``meeting=True``) and safetycore.disclosure: no
sensitive categories, no free text or names, no cells with fewer than k events and no cell
split below k. The mode also fixes its filters (``ui.filters.meeting_filter``: the address
bar's filters are ignored and no filter widget is drawn) and offers no page but Lägesbild
(``dashboard.py``), so no link narrows the shared screen until a count singles out an event.

Settings (environment):

* ``SAFETY_MEETING_MIN_CELL``: k, the fewest events a map cell needs to be shown (default 3);
* ``SAFETY_MEETING_INCLUDE_CURRENT_WEEK=1``: the page opens on the current (incomplete) week
  instead of the last complete one.
"""

from __future__ import annotations

import os

import streamlit as st

from safetycore.situation import DEFAULT_MIN_CELL

MODE_PARAM = "mode"
STEP_PARAM = "step"
OVERVIEW = "overview"

_STYLE = """
<style>
/* Shared screen: no sidebar, no toolbar clutter, large type readable from the back. */
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], [data-testid="stSidebarNav"],
[data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stHeader"] { display: none !important; }
html { font-size: 21px; }
.block-container, [data-testid="stMainBlockContainer"] {
    padding-top: 1.2rem !important; padding-bottom: 1rem !important;
    max-width: 100% !important; padding-left: 2.2rem !important; padding-right: 2.2rem !important;
}
[data-testid="stMetricValue"] p { font-size: 3.0rem !important; line-height: 1.1;
    font-weight: 700; }
[data-testid="stMetricLabel"] p { font-size: 1.15rem !important; font-weight: 600; }
[data-testid="stMetricDelta"] p { font-size: 1.0rem !important; }
h1 { font-size: 2.3rem !important; padding-top: 0 !important; }
h2 { font-size: 1.8rem !important; }
h3 { font-size: 1.4rem !important; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.05rem; }
[data-testid="stCaptionContainer"] { font-size: 0.9rem !important; }
[data-testid="stBaseButton-secondary"], [data-testid="stBaseButton-primary"] { min-height: 2.6rem; }
</style>
"""


def meeting_mode() -> bool:
    """True when the address bar says ``?mode=meeting``."""
    return st.query_params.get(MODE_PARAM) == "meeting"


def apply_meeting_style() -> None:
    """Hide the sidebar and enlarge the type (style only: takes no space on the page)."""
    st.html(_STYLE)


def set_meeting_mode(on: bool) -> None:
    if on:
        st.query_params[MODE_PARAM] = "meeting"
    else:
        for key in (MODE_PARAM, STEP_PARAM):
            if key in st.query_params:
                del st.query_params[key]


def toggle_from_widget(widget_key: str) -> None:
    """on_change callback of the meeting-mode toggle."""
    set_meeting_mode(bool(st.session_state.get(widget_key)))


def min_cell() -> int:
    """k: map cells with fewer events than this are never shown in meeting mode."""
    try:
        value = int(os.environ.get("SAFETY_MEETING_MIN_CELL", DEFAULT_MIN_CELL))
    except ValueError:
        value = DEFAULT_MIN_CELL
    return max(1, value)


def include_current_week() -> bool:
    value = os.environ.get("SAFETY_MEETING_INCLUDE_CURRENT_WEEK", "")
    return value.strip().lower() in ("1", "true", "yes")


def steps(group_ids: list[str]) -> list[str]:
    return [OVERVIEW, *group_ids]


def current_step(group_ids: list[str]) -> str:
    """The step shown now: the overview or an area group id, from ``?step=``."""
    wanted = st.query_params.get(STEP_PARAM, OVERVIEW)
    return wanted if wanted in steps(group_ids) else OVERVIEW


def go_to(step: str) -> None:
    """Button callback: show ``step`` next (kept in the address bar, so a reload stays)."""
    if step == OVERVIEW:
        if STEP_PARAM in st.query_params:
            del st.query_params[STEP_PARAM]
    else:
        st.query_params[STEP_PARAM] = step
