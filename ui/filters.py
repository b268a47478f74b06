"""The shared sidebar filters, bound to the URL so a view can be sent as a link.

Widgets are drawn by ``dashboard.py`` on every run, before the page, so their values survive
page switches; ``bind="query-params"`` keeps them in the address bar. Each page then calls
``current_filter()`` to get the Filter value.

What the widgets offer follows the viewer (``safetycore.disclosure``): sensitive categories are
not among the options of a role that may not see them, nor on the meeting screen. Meeting mode
fixes its filters to what the meeting shows (every area group, area, kind and source, no
sensitive category): the filter widgets are not drawn there and the address bar's filter
parameters are ignored, so no link narrows the shared screen (one category, one area) until a
map cell or a figure singles out an event.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from safetycore import disclosure
from safetycore.filters import PERIOD_PRESETS, Filter, period_for_preset
from safetycore.taxonomy import KINDS, kind_label
from ui import cache
from ui import state_keys as keys
from ui.auth import viewer_actor
from ui.format import plural
from ui.i18n import LANGUAGE_NAMES, LANGUAGES, current_language, t
from ui.meeting import meeting_mode

FILTER_KEYS = ("period", "from", "to", "groups", "areas", "kinds", "cats", "sources")
DEFAULT_PRESET = "28d"


def language_picker() -> str:
    st.sidebar.selectbox(
        t("filter.language"),
        LANGUAGES,
        format_func=LANGUAGE_NAMES.get,
        key=keys.LANGUAGE,
        bind="query-params",
    )
    return current_language()


def label_maps() -> dict[str, dict[str, str]]:
    """Code -> label for groups, areas, categories and sources in the viewer's language.

    Built once per language and data version and shared (a page asks for it up to four times
    a run): read it, never change it. The cache passes ``_label_maps`` the language."""
    return cache.derived(_label_maps)


def _label_maps(query, lang: str) -> dict[str, dict[str, str]]:
    groups = query("area_groups")
    areas = query("areas")
    cats = query("categories")
    sources = query("sources")
    column = "label_sv" if lang == "sv" else "label_en"
    return {
        "groups": dict(zip(groups["id"], groups["name"], strict=True)),
        "areas": dict(zip(areas["id"], areas["name"], strict=True)),
        "area_group_of": dict(zip(areas["id"], areas["area_group_id"], strict=True)),
        "categories": dict(zip(cats["code"], cats[column], strict=True)),
        "category_kind": dict(zip(cats["code"], cats["kind"], strict=True)),
        "sources": dict(zip(sources["code"], sources[column], strict=True)),
        "sensitive": disclosure.sensitive_codes(cats),
    }


def hidden_categories() -> frozenset[str]:
    """The category codes this session may not be shown: the sensitive ones for a role that
    may not see them, and always on the meeting screen."""
    return disclosure.hidden_codes(
        label_maps()["sensitive"],
        sees_sensitive=viewer_actor().sees_sensitive,
        meeting=meeting_mode(),
    )


def meeting_filter(today: dt.date) -> Filter:
    """The meeting screen's fixed filter: everything the meeting shows, nothing sensitive."""
    start, end = period_for_preset(DEFAULT_PRESET, today)
    return Filter(start=start, end=end, include_sensitive=False)


def _reset() -> None:
    for key in FILTER_KEYS:
        if key == "period":
            st.session_state[key] = DEFAULT_PRESET
        elif key not in ("from", "to"):
            st.session_state[key] = []


def narrow_to_area(area_id: str) -> None:
    """Set the sidebar's filter to the one area ``area_id``, as a widget callback (before the
    widgets are drawn again). When area groups are chosen the area's group joins them, so the
    area stays among the area filter's options; the address bar follows the widgets."""
    group = label_maps()["area_group_of"].get(area_id)
    groups = list(st.session_state.get(keys.AREA_GROUPS) or [])
    if groups and group not in groups:
        st.session_state[keys.AREA_GROUPS] = [*groups, group]
    st.session_state[keys.AREAS] = [area_id]


def sidebar_filters() -> Filter:
    """Draw the filter widgets in the sidebar and return the resulting Filter."""
    lang = current_language()
    labels = label_maps()
    today = cache.reference_date()
    if meeting_mode():  # fixed filters: no widget, no address-bar parameter narrows the view
        return meeting_filter(today)
    side = st.sidebar
    side.header(t("filter.heading"))

    # The language is bound into the format function, not looked up when it is called: a
    # widget's options may be formatted outside this run (AppTest does so between runs).
    preset = side.selectbox(
        t("filter.period"),
        PERIOD_PRESETS,
        index=PERIOD_PRESETS.index(DEFAULT_PRESET),
        format_func=lambda p: t(f"filter.preset_{p}", lang),
        key="period",
        bind="query-params",
    )
    if preset == "custom":
        default_start = today - dt.timedelta(days=27)
        cols = side.columns(2)
        start = cols[0].date_input(
            t("filter.from"),
            value=default_start,
            key="from",
            bind="query-params",
            format="YYYY-MM-DD",
        )
        end = cols[1].date_input(
            t("filter.to"), value=today, key="to", bind="query-params", format="YYYY-MM-DD"
        )
        if end < start:
            side.warning(t("filter.bad_range"))
            end = start
    else:
        start, end = period_for_preset(preset, today)
    side.caption(
        plural(
            "filter.period_text",
            (end - start).days + 1,
            count="days",
            start=start.isoformat(),
            end=end.isoformat(),
        )
    )

    groups = side.multiselect(
        t("filter.area_groups"),
        list(labels["groups"]),
        format_func=labels["groups"].get,
        key=keys.AREA_GROUPS,
        bind="query-params",
        placeholder=t("filter.all"),
        select_all=False,  # Streamlit's "Select all" is English; empty means all
    )
    area_options = [a for a, g in labels["area_group_of"].items() if not groups or g in groups]
    areas = side.multiselect(
        t("filter.areas"),
        area_options,
        format_func=labels["areas"].get,
        key=keys.AREAS,
        bind="query-params",
        placeholder=t("filter.all"),
        select_all=False,  # Streamlit's "Select all" is English; empty means all
    )
    kinds = side.multiselect(
        t("filter.kinds"),
        list(KINDS),
        format_func=lambda k: kind_label(k, lang),
        key="kinds",
        bind="query-params",
        placeholder=t("filter.all"),
        select_all=False,  # Streamlit's "Select all" is English; empty means all
    )
    hidden = hidden_categories()
    cat_options = disclosure.visible_options(
        [c for c, k in labels["category_kind"].items() if not kinds or k in kinds], hidden
    )
    categories = side.multiselect(
        t("filter.categories"),
        cat_options,
        format_func=labels["categories"].get,
        key="cats",
        bind="query-params",
        placeholder=t("filter.all"),
        select_all=False,  # Streamlit's "Select all" is English; empty means all
    )
    sources = side.multiselect(
        t("filter.sources"),
        list(labels["sources"]),
        format_func=labels["sources"].get,
        key="sources",
        bind="query-params",
        placeholder=t("filter.all"),
        select_all=False,  # Streamlit's "Select all" is English; empty means all
    )
    side.button(t("filter.reset"), on_click=_reset, width="stretch")
    return Filter(
        start=start,
        end=end,
        area_groups=tuple(groups),
        areas=tuple(areas),
        kinds=tuple(kinds),
        categories=tuple(disclosure.visible_options(categories, hidden)),
        sources=tuple(sources),
        # Sensitive categories only for roles allowed to see them, on every page and export.
        include_sensitive=not hidden,
    )


def current_filter() -> Filter:
    """The Filter that ``dashboard.py`` computed for this run."""
    return st.session_state[keys.FILTER]
