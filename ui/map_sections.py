"""Karta's sections: the controls, the figures, the map with its legend, the hotspot table, the
events behind a chosen cell or area, and the export. Each takes the page's view
(``safetycore.map_view.MapView``) and small values; the map's layers are built in ``map_deck``,
cached as a finished spec by ``ui.cache.deck``.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

import pandas as pd
import pydeck as pdk
import streamlit as st

from safetycore import hotspots as hotspot_model
from safetycore import map_view as mv
from safetycore import maps
from safetycore.filters import Filter
from safetycore.taxonomy import kind_label
from ui import cache
from ui.export import csv_download
from ui.filters import narrow_to_area
from ui.format import number
from ui.i18n import t
from ui.text import md

# Session keys of the page's widgets and of the chosen cell or area.
LAYER_KEY, COLOUR_KEY, RES_KEY, MEASURE_KEY = "map_layer", "map_colour", "map_res", "map_measure"
DECK_KEY, PICK_KEY, PICK_BOX_KEY = "map_deck", "map_pick", "map_pick_box"
FALLBACK_RGB = [90, 90, 90]  # a category outside the palette
FRAMES = ("boundaries", "area_counts", "cells", "points", "actions")


@dataclass(frozen=True)
class MapControls:
    """The map's own choices (the sidebar's filter aside)."""

    layer: str
    colour_by: str
    resolution: int
    measure: str
    show_actions: bool
    basemap: bool


def controls(default_resolution: int) -> MapControls:
    """The row of map controls, bound to the address bar (the toggles are not)."""
    ctl = st.columns([1.4, 1.1, 1.1, 1.1, 1.3])
    layer = ctl[0].radio(
        t("map.layer"),
        mv.LAYERS,
        format_func=lambda v: t(f"map.layer_{v}"),
        horizontal=True,
        key=LAYER_KEY,
        bind="query-params",
    )
    colour_by = ctl[1].radio(
        t("map.colour_by"),
        mv.COLOURINGS,
        format_func=lambda v: t(f"map.colour_{v}"),
        horizontal=True,
        key=COLOUR_KEY,
        bind="query-params",
    )
    resolution = ctl[2].select_slider(
        t("map.resolution"),
        mv.RESOLUTIONS,
        value=default_resolution,
        format_func=lambda r: t(f"map.res_{r}"),
        key=RES_KEY,
        bind="query-params",
    )
    measure = ctl[3].radio(
        t("map.measure"),
        mv.MEASURES,
        format_func=lambda v: t(f"map.measure_{v}"),
        horizontal=True,
        key=MEASURE_KEY,
        bind="query-params",
    )
    with ctl[4]:
        show_actions = st.toggle(t("map.show_actions"), value=True, key="map_actions")
        basemap = st.toggle(
            t("map.basemap"), value=False, key="map_basemap", help=t("map.basemap_help")
        )
    return MapControls(layer, colour_by, resolution, measure, show_actions, basemap)


def view_for(flt: Filter, chosen: MapControls, today: dt.date) -> tuple[mv.MapView, tuple]:
    """The page's view through the cache, with the key it is cached under (for the map's)."""
    found = tuple(cache.derived(hotspot_model.for_filter, flt))
    args = (mv.map_view, flt, found)
    kwargs = {
        "layer": chosen.layer,
        "colour_by": chosen.colour_by,
        "measure": chosen.measure,
        "resolution": chosen.resolution,
        "show_actions": chosen.show_actions,
        "today": today,
    }
    return cache.keyed_derived(*args, **kwargs)


def figures(view: mv.MapView) -> None:
    """How much is drawn, what is not and why, and the caps."""
    m = st.columns(4)
    m[0].metric(t("map.drawn"), f"{number(view.drawable)} / {number(view.total)}")
    m[1].metric(t("map.not_on_map"), number(view.not_drawn))
    what, count = view.shown
    m[2].metric(t(f"map.{what}_count"), number(count))
    m[3].metric(t("map.open_actions"), number(len(view.actions)) if view.show_actions else "–")
    st.caption(t("map.not_drawn", coarse=number(view.coarse), sensitive=number(view.sensitive)))
    if view.too_many_points:
        st.warning(t("map.point_cap", n=number(view.drawable), cap=number(mv.POINT_CAP)))
    if view.cell_cap_reached:
        st.warning(t("map.cell_cap"))


def _area_tip(row: pd.Series) -> str:
    rate = "–" if pd.isna(row["rate"]) else number(row["rate"], 1)
    return t(
        "map.tip_area",
        area=row["area"],
        group=row["area_group"],
        n=number(int(row["n"])),
        rate=rate,
    )


def _colours(frame: pd.DataFrame, column: str, cat_labels: dict[str, str]) -> list:
    palette = maps.category_colour_map(list(cat_labels))
    return [palette.get(c, FALLBACK_RGB) for c in frame[column]]


def map_deck(
    boundaries: pd.DataFrame,
    area_counts: pd.DataFrame,
    cells: pd.DataFrame,
    points: pd.DataFrame,
    actions: pd.DataFrame,
    *,
    fill: pd.Series | None,
    colour_by: str,
    framing: mv.MapFraming,
    basemap: bool,
    cat_labels: dict[str, str],
) -> pdk.Deck:
    """The map's layers with their tooltips: built once per view and language (``cache.deck``
    keys on the viewer's language, in which the tooltips are written)."""
    area_counts = area_counts.set_index("area_id")
    area_tips = area_counts.apply(_area_tip, axis=1) if len(area_counts) else None
    layers = [maps.boundary_layer(boundaries, fill_values=fill, pickable=True, tips=area_tips)]
    if not cells.empty:
        cells = cells.assign(
            tip=[
                t(
                    "map.tip_cell",
                    n=number(r.n),
                    incidents=number(r.incidents),
                    qol=number(r.qol),
                    top=cat_labels.get(r.top_category, r.top_category),
                    latest=str(r.latest)[:10],
                )
                for r in cells.itertuples()
            ]
        )
        if colour_by == "kind":
            colours = maps.kind_mix_colours(cells["incidents"], cells["qol"])
        else:
            colours = _colours(cells, "top_category", cat_labels)
        layers.append(maps.hex_layer(cells, colours=colours))
    if not points.empty:
        points = points.assign(
            tip=[
                t(
                    "map.tip_point",
                    category=cat_labels.get(r.category, r.category),
                    time=r.time,
                    place=", ".join(p for p in dict.fromkeys([r.area, r.place]) if p),
                )
                for r in points.itertuples()
            ]
        )
        if colour_by == "kind":
            colours = [maps.KIND_RGB[k] for k in points["kind"]]
        else:
            colours = _colours(points, "category", cat_labels)
        layers.append(maps.point_layer(points, colours))
    if not actions.empty:
        actions = actions.assign(
            tip=[
                t(
                    "map.tip_action",
                    id=r.id,
                    status=t(f"map.status_{r.status}"),
                    due=str(r.due_date)[:10] if pd.notna(r.due_date) else "–",
                    place=r.area or r.area_group,
                    overdue=t("map.overdue") if r.overdue else "",
                )
                for r in actions.itertuples()
            ]
        )
        layers.append(maps.action_layer(actions))
    view = pdk.ViewState(latitude=framing.latitude, longitude=framing.longitude, zoom=framing.zoom)
    return maps.deck(layers, view, tooltip={"text": "{tip}"}, basemap=basemap)


def _swatch(rgb: Sequence[int], text: str, shape: str = "border-radius:3px") -> str:
    colour = f"rgb({rgb[0]},{rgb[1]},{rgb[2]})"
    return (
        f'<span style="display:inline-flex;align-items:center;margin-right:1.2em">'
        f'<span style="width:16px;height:16px;background:{colour};{shape};'
        f'display:inline-block;margin-right:6px;border:1px solid #444"></span>'
        f"{html.escape(text)}</span>"
    )


def _legend_html(item: mv.LegendItem, measure: str, lang: str, cat_labels: dict[str, str]) -> str:
    if item.what == "scale":
        digits = 1 if measure == "rate" else 0
        return (
            _swatch(mv.SCALE_LOW, number(0))
            + "→ "
            + _swatch(mv.SCALE_HIGH, number(item.peak, digits))
        )
    if item.what == "measure":
        return html.escape(t(f"map.measure_{item.code}"))
    if item.what == "kind":
        return _swatch(item.rgb, kind_label(item.code, lang))
    if item.what == "mix":
        return html.escape(t("map.legend_mix"))
    if item.what == "category":
        return _swatch(item.rgb, cat_labels.get(item.code, item.code))
    ring = "rgb({},{},{})".format(*item.rgb)  # hollow, as on the map
    return _swatch(
        item.rgb,
        t("map.legend_actions"),
        f"border-radius:50%;background:transparent;box-shadow:inset 0 0 0 3px {ring}",
    )


def _on_map_select(default_resolution: int) -> None:
    state = st.session_state.get(DECK_KEY) or {}
    objects = (state.get("selection") or {}).get("objects") or {}
    pick = None
    if objects.get("cells"):
        res = st.session_state.get(RES_KEY, default_resolution)
        pick = ("cell", objects["cells"][0].get("hex"), res)
    elif objects.get("points"):
        pick = ("cell", objects["points"][0].get("cell"), 9)
    elif objects.get("areas"):
        props = objects["areas"][0].get("properties") or objects["areas"][0]
        pick = ("area", props.get("id"), None)
    if pick and pick[1]:
        st.session_state[PICK_KEY] = pick
        st.session_state[PICK_BOX_KEY] = None


def _on_pick_box(default_resolution: int) -> None:
    value = st.session_state.get(PICK_BOX_KEY)
    if value:
        kind, ident = value.split(":", 1)
        st.session_state[PICK_KEY] = (
            kind,
            ident,
            st.session_state.get(RES_KEY, default_resolution),
        )


def _clear_pick() -> None:
    st.session_state.pop(PICK_KEY, None)
    st.session_state[PICK_BOX_KEY] = None


def _filter_area(area_id: str) -> None:
    narrow_to_area(area_id)
    _clear_pick()


def map_section(
    view: mv.MapView, key: tuple, *, basemap: bool, lang: str, cat_labels: dict[str, str]
) -> None:
    """The map (a click on it chooses a cell, point or area), its legend and hint."""
    frames = [cache.Keyed(getattr(view, name), (*key, name)) for name in FRAMES]
    deck = cache.deck(
        map_deck,
        *frames,
        fill=view.fill,
        colour_by=view.colour_by,
        framing=view.framing,
        basemap=basemap,
        cat_labels=cat_labels,
    )
    st.pydeck_chart(
        deck,
        height=720,
        on_select=partial(_on_map_select, view.framing.default_resolution),
        selection_mode="single-object",
        key=DECK_KEY,
    )
    legend = [_legend_html(item, view.measure, lang, cat_labels) for item in view.legend]
    st.markdown(" ".join(legend), unsafe_allow_html=True)
    st.caption(t("map.click_hint"))


def hotspot_section(view: mv.MapView, labels: dict) -> None:
    """The busiest places with their recurrence and status, and the box that lists the events
    of a hotspot or an area."""
    cat_labels = labels["categories"]
    st.subheader(t("map.hotspots"))
    st.caption(t("map.hotspots_text", top=mv.HOTSPOT_TOP, weeks=mv.HOTSPOT_WEEKS))
    rows = view.hotspot_rows
    if view.hotspots.empty:
        st.info(t("word.no_data"))
    else:
        hot = pd.DataFrame(
            {
                t("word.place"): rows["label"],
                t("map.top_category"): rows["top_category"].map(lambda c: cat_labels.get(c, c)),
                t("word.count"): rows["n"],
                t("map.share"): [f"{number(v, 1)} %" for v in rows["share"]],
                t("map.persistence"): rows["persistence"],
                # a merged place takes the status of its busiest cell
                t("signals.hotspot_status"): [
                    t(f"signals.hotspot_{s}") if s else "" for s in rows["status"]
                ],
                t("signals.hotspot_since"): rows["since"],
            }
        )
        st.dataframe(
            hot,
            hide_index=True,
            width="stretch",
            height=38 + 35 * len(hot),
            placeholder="–",
            column_config={  # widths in pixels: every header and value whole at 1920 px
                t("word.place"): st.column_config.TextColumn(width=202),
                t("map.top_category"): st.column_config.TextColumn(width=172),
                t("word.count"): st.column_config.NumberColumn(width=50),
                t("map.share"): st.column_config.TextColumn(width=56, alignment="right"),
                t("map.persistence"): st.column_config.ProgressColumn(
                    format=f"%d / {mv.HOTSPOT_WEEKS}",
                    min_value=0,
                    max_value=mv.HOTSPOT_WEEKS,
                    width=104,
                    help=t("map.persistence_help", top=mv.HOTSPOT_TOP, weeks=mv.HOTSPOT_WEEKS),
                ),
                t("signals.hotspot_status"): st.column_config.TextColumn(width=80),
                t("signals.hotspot_since"): st.column_config.TextColumn(width=84),
            },
        )
        st.caption(t("map.persistence_text"))
    st.selectbox(
        t("map.pick"),
        view.pick_options,
        index=None,
        format_func=partial(_pick_label, dict(view.hot_names), labels["areas"]),
        placeholder=t("map.pick_placeholder"),
        key=PICK_BOX_KEY,
        on_change=_on_pick_box,
        args=(view.framing.default_resolution,),
    )


def _pick_label(hot_names: dict[str, str], areas: dict[str, str], value: str) -> str:
    kind, ident = value.split(":", 1)
    if kind == "cell":
        return t("map.pick_cell", place=hot_names.get(ident, ident))
    return t("map.pick_area", area=areas.get(ident, ident))


def selection_section(flt: Filter, view: mv.MapView, labels: dict, lang: str) -> pd.DataFrame:
    """The events behind the chosen cell or area, with buttons to clear the choice and to
    narrow the filter to its area; returns them (empty when nothing is chosen)."""
    pick = st.session_state.get(PICK_KEY)
    if not pick:
        return pd.DataFrame()
    chosen = cache.derived(mv.selection, flt, tuple(pick), dict(view.hot_names))
    areas, cat_labels = labels["areas"], labels["categories"]
    if chosen.kind == "cell":
        title = t("map.selected_cell", place=chosen.place)
    else:
        title = t("map.selected_area", area=areas.get(chosen.ident, chosen.ident))
    st.subheader(md(title))
    cols = st.columns([1, 1, 3])
    cols[0].button(t("map.clear_pick"), on_click=_clear_pick, icon=":material/close:")
    if chosen.target_area:
        cols[1].button(
            t("map.set_area_filter", area=areas.get(chosen.target_area, chosen.target_area)),
            on_click=_filter_area,
            args=(chosen.target_area,),
            icon=":material/filter_alt:",
        )
    selected = chosen.events
    if selected.empty:
        st.info(t("word.no_data"))
        return selected
    shown = pd.DataFrame(
        {
            t("word.time"): selected["occurred_at"]
            .dt.strftime("%Y-%m-%d %H:%M")
            .where(
                selected["time_precision"] == "exact",
                selected["occurred_at"].dt.strftime("%Y-%m-%d"),
            ),
            t("word.category"): selected["category"].map(lambda c: cat_labels.get(c, c)),
            t("word.kind"): selected["kind"].map(lambda k: kind_label(k, lang)),
            t("word.source"): selected["source"].map(lambda s: labels["sources"].get(s, s)),
            t("word.area"): selected["area"].fillna(t("word.unknown_area")),
            t("word.place"): selected["place"],
            t("map.precision"): selected["location_precision"].map(
                lambda p: t(f"map.precision_{p}")
            ),
        }
    )
    if chosen.capped:
        st.caption(t("map.rows_capped", n=number(mv.EVENT_ROWS)))
    st.dataframe(shown, hide_index=True, width="stretch", height=min(460, 38 + 35 * len(shown)))
    return selected


def export_section(flt: Filter, view: mv.MapView, selected: pd.DataFrame) -> None:
    """The view's cells or areas, hotspots, events and chosen events as CSV."""
    st.subheader(t("map.export"))
    ex = st.columns(4)
    with ex[0]:
        if view.draw_cells:
            cells = view.cells.drop(columns=["tip", "fill"], errors="ignore")
            csv_download(cells, "karta_celler.csv", t("map.export_cells"), key="export_cells")
        else:
            areas = view.area_counts.set_index("area_id").reset_index()
            csv_download(areas, "karta_omraden.csv", t("map.export_areas"), key="export_areas")
    with ex[1]:
        csv_download(
            view.hotspots, "karta_hotspots.csv", t("map.export_hotspots"), key="export_hot"
        )
    with ex[2]:
        events = partial(  # made on click
            cache.query,
            "map_selection",
            flt,
            limit=mv.EXPORT_ROWS,
            cell=None,
            area=None,
            resolution=9,
        )
        csv_download(
            events,
            "karta_handelser.csv",
            t("map.export_events", n=number(mv.EXPORT_ROWS)),
            key="export_events",
        )
    with ex[3]:
        if not selected.empty:
            csv_download(selected, "karta_urval.csv", t("map.export_selection"), key="export_sel")
    st.caption(t("map.export_text", n=number(mv.EXPORT_ROWS)))
