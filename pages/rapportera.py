"""Rapportera: a reporter's observation, phone-sized, in under a minute."""

import datetime as dt

import pandas as pd
import streamlit as st

from safetycore import geo, maps
from safetycore.errors import UsageError
from safetycore.ingest import observation as obs_mod
from safetycore.involvement import INVOLVED, MAX_COST_SEK, MAX_PEOPLE
from safetycore.privacy import kinds_found, mask
from ui import ONLY_ON_SAVE, data, entry
from ui.auth import NAME_KEY, current_actor, login_configured
from ui.filters import label_maps
from ui.i18n import catalogue, current_language, t
from ui.text import md

entry.ensure()  # the first run after a server start: see ui/entry.py

SAVED_KEY = "_obs_saved"
PARTS = ("exact", "morning", "afternoon", "evening", "night")


@st.cache_data(show_spinner=False, max_entries=4)
def pick_grid(version: int) -> pd.DataFrame:
    """The pick map's cells (about 0.7 km2 each) inside the areas, with their area."""
    return pd.DataFrame(obs_mod.pick_cells(geo.load_areas(data.con())))


lang = current_language()
labels = label_maps(lang)
today = data.reference_date()
st.title(t("observation.title"))


def _copy_name() -> None:
    st.session_state[NAME_KEY] = st.session_state.get("_obs_name", "").strip()


def _reset_fields() -> None:
    """After a save: empty the form (before its widgets are drawn in this run)."""
    if st.session_state.pop("_obs_reset", False):
        for key in ("obs_cat", "obs_area", "obs_time", "obs_cost", "obs_involved", "obs_people"):
            st.session_state[key] = None
        for key in ("obs_place", "obs_text"):
            st.session_state[key] = ""
        st.session_state.pop("obs_cell", None)


_reset_fields()
actor = current_actor()
if actor is None and not login_configured():
    # On a phone the sidebar is folded away: ask for the name here as well.
    st.text_input(
        t("auth.your_name"),
        key="_obs_name",
        on_change=_copy_name,
        max_chars=80,
        help=t("auth.your_name_help"),
    )
    actor = current_actor()

saved = st.session_state.get(SAVED_KEY)
if saved and st.session_state.pop("_obs_toast", False):
    st.toast(saved["message"], icon=":material/check_circle:")  # seen wherever one scrolled to
if saved:
    st.success(saved["message"], icon=":material/check_circle:")
    if saved.get("text"):
        st.caption(t("observation.saved_text", text=md(saved["text"])))
    if saved.get("masked"):
        st.caption(t("observation.saved_masked"))
    if saved.get("consequences"):
        st.caption(saved["consequences"])

if actor is not None and not actor.can("report_observation"):
    st.warning(t("observation.cannot", reason=t("observation.read_only")))
    st.stop()

st.caption(t("observation.intro"))
cats = labels["categories"]
category = st.selectbox(
    t("observation.what"),
    list(cats),
    index=None,
    format_func=cats.get,
    placeholder=t("observation.choose"),
    key="obs_cat",
    on_change=ONLY_ON_SAVE,
)

st.subheader(t("observation.where"))
mode = st.radio(
    t("observation.where"),
    ("area", "map", "place"),
    horizontal=True,
    format_func=lambda m: t(f"observation.where_{m}"),
    key="obs_where",
    label_visibility="collapsed",
)
areas = labels["areas"]
group_of = labels["area_group_of"]
groups = labels["groups"]


def area_label(area_id: str) -> str:
    name = areas.get(area_id, area_id)
    group = groups.get(group_of.get(area_id, ""), "")
    return name if not group or group == name else f"{name} ({group})"


area_id = None
cell = None
place = ""
if mode == "area":
    area_id = st.selectbox(
        t("observation.area"),
        list(areas),
        index=None,
        format_func=area_label,
        placeholder=t("observation.choose"),
        key="obs_area",
        on_change=ONLY_ON_SAVE,
    )
    place = st.text_input(t("observation.place"), key="obs_place", max_chars=200)
elif mode == "map":
    # One area group at a time: a lighter map (the browser's picking fails on very many
    # cells) with larger cells to tap on a phone.
    group = st.selectbox(
        t("observation.map_group"), list(groups), format_func=groups.get, key="obs_map_group"
    )
    in_group = [a for a, g in group_of.items() if g == group]
    full_grid = pick_grid(data.data_version())
    grid = full_grid[full_grid["area_id"].isin(in_group)]
    boundaries = data.query("area_boundaries")
    framed = boundaries[boundaries["area_group_id"] == group]
    picked = st.session_state.get("obs_cell")
    layers = [maps.boundary_layer(boundaries), obs_mod.pick_layer(list(grid["hex"]))]
    if picked:
        layers.append(obs_mod.picked_marker(picked))
    view = maps.view_for(framed if len(framed) else boundaries)

    def _on_pick() -> None:
        state = st.session_state.get("obs_map") or {}
        objects = (state.get("selection") or {}).get("objects") or {}
        if objects.get("pick"):
            st.session_state["obs_cell"] = objects["pick"][0].get("hex")

    st.caption(t("observation.map_hint"))
    st.pydeck_chart(
        maps.deck(layers, view, tooltip={"text": t("observation.map_tip")}),
        height=380,
        on_select=_on_pick,
        selection_mode="single-object",
        key="obs_map",
    )
    cell = st.session_state.get("obs_cell")
    if cell:
        where_area = dict(zip(full_grid["hex"], full_grid["area_id"], strict=True)).get(cell)
        st.info(t("observation.map_picked", area=area_label(where_area) if where_area else "?"))
    else:
        st.caption(t("observation.map_none"))
    place = st.text_input(t("observation.place"), key="obs_place", max_chars=200)
else:
    place = st.text_input(t("observation.place_name"), key="obs_place", max_chars=200)
    if place.strip():
        found = next(
            (a for a, name in areas.items() if name.casefold() == place.strip().casefold()), None
        )
        if found:
            st.caption(t("observation.place_found", area=area_label(found)))
            area_id = found
        else:
            st.caption(t("observation.place_unknown", place=place.strip()))
            area_id = st.selectbox(
                t("observation.area"),
                list(areas),
                index=None,
                format_func=area_label,
                placeholder=t("observation.choose"),
                key="obs_area",
                on_change=ONLY_ON_SAVE,
            )

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

sources = labels["sources"]
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

found_kinds = kinds_found(text) | kinds_found(place)
if found_kinds:
    what = f" {t('observation.and')} ".join(
        t(f"observation.pii_{k}") for k in ("pnr", "phone", "email", "name") if k in found_kinds
    )
    st.warning(t("observation.pii_warning", what=what), icon=":material/privacy_tip:")
    st.code(mask(text) or "", language=None, wrap_lines=True)

missing = []
if category is None:
    missing.append(t("observation.what"))
if not (area_id or cell):
    missing.append(t("observation.where"))
if part == "exact" and at_time is None:
    missing.append(t("observation.time"))
if org is None:
    missing.append(t("observation.org"))
if actor is None:
    missing.append(t("auth.your_name"))

if st.button(t("observation.save"), type="primary", width="stretch", key="obs_save"):
    if missing:
        st.error(t("observation.missing", what=", ".join(m.rstrip("?") for m in missing)))
    else:
        try:
            result = obs_mod.report_observation(
                data.con(),
                actor,
                obs_mod.Observation(
                    category=category,
                    source=org,
                    day=day,
                    time=at_time,
                    day_part=None if part == "exact" else part,
                    area_id=None if cell else area_id,
                    cell=cell,
                    place=place,
                    description=text,
                    cost_sek=cost,
                    involved=involved,
                    people=people,
                ),
            )
        except UsageError as exc:
            key = f"observation.refused.{getattr(exc, 'key', '')}"  # in the page's language
            st.error(t("observation.error", reason=t(key) if key in catalogue() else str(exc)))
        else:
            when = (
                f"{day.isoformat()} {at_time.strftime('%H:%M')}"
                if at_time
                else f"{day.isoformat()}, {t(f'observation.part_{part}').lower()}"
            )
            st.session_state[SAVED_KEY] = {
                "message": t(
                    "observation.saved",
                    category=cats.get(category, category),
                    area=area_label(result.area_id),
                    when=when,
                    org=sources.get(org, org),
                ),
                "text": result.description,
                "masked": bool(result.findings),
                "id": result.id,
                "consequences": ""
                if cost is None and involved is None and people is None
                else t(
                    "involvement.saved",
                    cost="–" if cost is None else f"{cost:,.0f}".replace(",", "\u202f"),
                    involved=t(f"involvement.{involved or 'not_recorded'}"),
                    people="–" if people is None else people,
                ),
            }
            st.session_state["_obs_reset"] = True
            st.session_state["_obs_toast"] = True
            st.rerun()
