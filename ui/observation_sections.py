"""Rapportera's sections: the reporter's name, the note on what was just saved, the form's
questions (what, where, when, who reports, what it cost) and the save. Each takes the page's
view (``safetycore.observation_view.ObservationForm``) or the form's entry and small values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from safetycore import maps
from safetycore.access import Actor
from safetycore.errors import UsageError
from safetycore.ingest import observation as obs_mod
from safetycore.involvement import INVOLVED, MAX_COST_SEK, MAX_PEOPLE
from safetycore.observation_view import (
    PARTS,
    WHERE_MODES,
    Entry,
    ObservationForm,
    pick_grid,
    pick_map,
)
from ui import ONLY_ON_SAVE, cache, data
from ui.auth import NAME_KEY, current_actor, login_configured
from ui.i18n import catalogue, t
from ui.text import md

# Session keys of the page's own (the widgets' keys are named where they are drawn).
SAVED_KEY = "_obs_saved"  # what was saved last: shown above the form
RESET_KEY = "_obs_reset"  # empty the form on the next run, before its widgets are drawn
TOAST_KEY = "_obs_toast"  # show the saved note as a toast once
NAME_FIELD_KEY = "_obs_name"
CELL_KEY = "obs_cell"  # the cell picked on the map
MAP_KEY = "obs_map"
# The fields a save empties: choices to None, texts to "".
CLEARED_CHOICES = ("obs_cat", "obs_area", "obs_time", "obs_cost", "obs_involved", "obs_people")
CLEARED_TEXTS = ("obs_place", "obs_text")


@dataclass(frozen=True)
class Where:
    """Where the form says it happened: an area, a picked cell, and the place written."""

    area_id: str | None
    cell: str | None
    place: str


def reset_fields() -> None:
    """After a save: empty the form (before its widgets are drawn in this run)."""
    if st.session_state.pop(RESET_KEY, False):
        for key in CLEARED_CHOICES:
            st.session_state[key] = None
        for key in CLEARED_TEXTS:
            st.session_state[key] = ""
        st.session_state.pop(CELL_KEY, None)


def _copy_name() -> None:
    st.session_state[NAME_KEY] = st.session_state.get(NAME_FIELD_KEY, "").strip()


def reporter() -> Actor | None:
    """Who reports; without a login the name is asked here as well (on a phone the sidebar
    is folded away)."""
    actor = current_actor()
    if actor is None and not login_configured():
        st.text_input(
            t("auth.your_name"),
            key=NAME_FIELD_KEY,
            on_change=_copy_name,
            max_chars=80,
            help=t("auth.your_name_help"),
        )
        actor = current_actor()
    return actor


def saved_note() -> None:
    """What was saved last, as a toast once (seen wherever one scrolled to) and above the
    form until the next save."""
    saved = st.session_state.get(SAVED_KEY)
    if saved and st.session_state.pop(TOAST_KEY, False):
        st.toast(saved["message"], icon=":material/check_circle:")
    if saved:
        st.success(saved["message"], icon=":material/check_circle:")
        if saved.get("text"):
            st.caption(t("observation.saved_text", text=md(saved["text"])))
        if saved.get("masked"):
            st.caption(t("observation.saved_masked"))
        if saved.get("consequences"):
            st.caption(saved["consequences"])


def what(categories: dict[str, str]) -> str | None:
    return st.selectbox(
        t("observation.what"),
        list(categories),
        index=None,
        format_func=categories.get,
        placeholder=t("observation.choose"),
        key="obs_cat",
        on_change=ONLY_ON_SAVE,
    )


def _area_box(form: ObservationForm) -> str | None:
    return st.selectbox(
        t("observation.area"),
        list(form.areas),
        index=None,
        format_func=form.area_label,
        placeholder=t("observation.choose"),
        key="obs_area",
        on_change=ONLY_ON_SAVE,
    )


def _on_pick() -> None:
    state = st.session_state.get(MAP_KEY) or {}
    objects = (state.get("selection") or {}).get("objects") or {}
    if objects.get("pick"):
        st.session_state[CELL_KEY] = objects["pick"][0].get("hex")


def _pick_on_map(form: ObservationForm) -> str | None:
    """The pick map, one area group at a time with cells large enough to tap on a phone."""
    group = st.selectbox(
        t("observation.map_group"),
        list(form.groups),
        format_func=form.groups.get,
        key="obs_map_group",
    )
    grid = cache.derived(pick_grid)
    shown = pick_map(grid, form, group)
    picked = st.session_state.get(CELL_KEY)
    layers = [maps.boundary_layer(shown.boundaries), obs_mod.pick_layer(list(shown.cells))]
    if picked:
        layers.append(obs_mod.picked_marker(picked))
    st.caption(t("observation.map_hint"))
    st.pydeck_chart(
        maps.deck(layers, shown.view, tooltip={"text": t("observation.map_tip")}),
        height=380,
        on_select=_on_pick,
        selection_mode="single-object",
        key=MAP_KEY,
    )
    cell = st.session_state.get(CELL_KEY)
    if cell:
        where_area = grid.area_of.get(cell)
        st.info(
            t("observation.map_picked", area=form.area_label(where_area) if where_area else "?")
        )
    else:
        st.caption(t("observation.map_none"))
    return cell


def where(form: ObservationForm) -> Where:
    """Where it happened: an area from the list, a point on the map, or a place's name."""
    st.subheader(t("observation.where"))
    mode = st.radio(
        t("observation.where"),
        WHERE_MODES,
        horizontal=True,
        format_func=lambda m: t(f"observation.where_{m}"),
        key="obs_where",
        label_visibility="collapsed",
    )
    if mode == "area":
        area_id = _area_box(form)
        place = st.text_input(t("observation.place"), key="obs_place", max_chars=200)
        return Where(area_id, None, place)
    if mode == "map":
        cell = _pick_on_map(form)
        place = st.text_input(t("observation.place"), key="obs_place", max_chars=200)
        return Where(None, cell, place)
    place = st.text_input(t("observation.place_name"), key="obs_place", max_chars=200)
    area_id = None
    if place.strip():
        found = form.area_named(place)
        if found:
            st.caption(t("observation.place_found", area=form.area_label(found)))
            area_id = found
        else:
            st.caption(t("observation.place_unknown", place=place.strip()))
            area_id = _area_box(form)
    return Where(area_id, None, place)


def when(today: dt.date) -> tuple[dt.date, str, dt.time | None]:
    """The day, the part of the day, and the time when the part is "exact"."""
    st.subheader(t("observation.when"))
    day = st.date_input(
        t("observation.day"),
        value=today,
        max_value=today,
        format="YYYY-MM-DD",
        key="obs_day",
        on_change=ONLY_ON_SAVE,
    )
    part = st.radio(
        t("observation.part"),
        PARTS,
        horizontal=True,
        key="obs_part",
        format_func=lambda p: t(f"observation.part_{p}"),
    )
    at_time = None
    if part == "exact":
        at_time = st.time_input(
            t("observation.time"),
            value=None,
            step=dt.timedelta(minutes=5),
            key="obs_time",
            on_change=ONLY_ON_SAVE,
        )
    return day, part, at_time


def who_and_what(sources: dict[str, str]) -> tuple[str | None, str]:
    """The reporting organisation and the short description."""
    org = st.selectbox(
        t("observation.org"),
        list(sources),
        index=None,
        format_func=sources.get,
        placeholder=t("observation.choose"),
        key="obs_org",
        on_change=ONLY_ON_SAVE,
    )
    text = st.text_area(
        t("observation.text"),
        key="obs_text",
        max_chars=obs_mod.MAX_TEXT,
        help=t("observation.text_help"),
        height=110,
    )
    return org, text


def involvement() -> tuple[float | None, str | None, int | None]:
    """What it cost, which group was involved and about how many people (all optional)."""
    st.subheader(t("involvement.heading"))
    cost = st.number_input(
        t("involvement.cost"),
        min_value=0.0,
        max_value=float(MAX_COST_SEK),
        value=None,
        step=100.0,
        format="%.2f",
        key="obs_cost",
        help=t("involvement.cost_help"),
        on_change=ONLY_ON_SAVE,
    )
    involved = st.selectbox(
        t("involvement.involved"),
        INVOLVED,
        index=None,
        format_func=lambda c: t(f"involvement.{c}"),
        placeholder=t("observation.choose"),
        key="obs_involved",
        help=t("involvement.involved_help"),
        on_change=ONLY_ON_SAVE,
    )
    people = st.number_input(
        t("involvement.people"),
        min_value=0,
        max_value=MAX_PEOPLE,
        value=None,
        step=1,
        key="obs_people",
        on_change=ONLY_ON_SAVE,
    )
    return cost, involved, people


def personal_data_warning(entry: Entry) -> None:
    """Which personal data the texts hold, and the description as it will be stored."""
    kinds = entry.personal_data()
    if kinds:
        what = f" {t('observation.and')} ".join(t(f"observation.pii_{k}") for k in kinds)
        st.warning(t("observation.pii_warning", what=what), icon=":material/privacy_tip:")
        st.code(entry.masked_text(), language=None, wrap_lines=True)


def _saved_message(
    entry: Entry, result: obs_mod.Saved, form: ObservationForm, labels: dict
) -> dict:
    """What the page says about a saved observation after the rerun."""
    cats, sources = labels["categories"], labels["sources"]
    when_text = (
        f"{entry.day.isoformat()} {entry.time.strftime('%H:%M')}"
        if entry.time
        else f"{entry.day.isoformat()}, {t(f'observation.part_{entry.part}').lower()}"
    )
    return {
        "message": t(
            "observation.saved",
            category=cats.get(entry.category, entry.category),
            area=form.area_label(result.area_id or ""),  # saved: always in an area
            when=when_text,
            org=sources.get(entry.org, entry.org),
        ),
        "text": result.description,
        "masked": bool(result.findings),
        "id": result.id,
        "consequences": ""
        if not entry.has_consequences()
        else t(
            "involvement.saved",
            cost="–" if entry.cost is None else f"{entry.cost:,.0f}".replace(",", "\u202f"),
            involved=t(f"involvement.{entry.involved or 'not_recorded'}"),
            people="–" if entry.people is None else entry.people,
        ),
    }


def save_button(entry: Entry, actor: Actor | None, *, form: ObservationForm, labels: dict) -> None:
    """Save: the questions still unanswered, the reason for a refusal, or saved and a
    fresh form."""
    if not st.button(t("observation.save"), type="primary", width="stretch", key="obs_save"):
        return
    missing = entry.missing()
    if missing or actor is None:
        what = ", ".join(t(key).rstrip("?") for key in missing)
        st.error(t("observation.missing", what=what))
        return
    try:
        result = obs_mod.report_observation(data.con(), actor, entry.observation())
    except UsageError as exc:
        key = f"observation.refused.{getattr(exc, 'key', '')}"  # in the page's language
        st.error(t("observation.error", reason=t(key) if key in catalogue() else str(exc)))
        return
    st.session_state[SAVED_KEY] = _saved_message(entry, result, form, labels)
    st.session_state[RESET_KEY] = True
    st.session_state[TOAST_KEY] = True
    st.rerun()
