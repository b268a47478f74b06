"""Karta: where events happen — cells, points, areas and open actions — and the hotspots."""

import html

import pandas as pd
import pydeck as pdk
import streamlit as st

from safetycore import hotspots as hotspot_model
from safetycore import maps
from safetycore.taxonomy import KINDS, kind_label
from ui import data, entry, render
from ui.export import csv_download
from ui.filters import current_filter, label_maps
from ui.format import number
from ui.i18n import current_language, t
from ui.text import md

entry.ensure()  # the first run after a server start: see ui/entry.py

POINT_CAP = 10_000  # points sent to the browser at most (two query pages of 5,000)
POINT_PAGE = 5_000
HOTSPOT_TOP = 10
HOTSPOT_WEEKS = 8
EVENT_ROWS = 1_000
EXPORT_ROWS = 5_000
LAYERS = ("cells", "points", "areas")
RESOLUTIONS = (7, 8, 9)

flt = current_filter()
lang = current_language()
labels = label_maps(lang)
cat_labels = labels["categories"]
today = data.reference_date()
st.title(t("map.title"))

# The view frames the filter's areas; the default hexagon size is the finest that is readable
# (at least 12 px across) in it, so a large municipality opens on large hexagons.
boundaries_keyed = data.keyed_query("area_boundaries")
boundaries = boundaries_keyed.frame
framed = boundaries
if flt.areas:
    framed = boundaries[boundaries["id"].isin(flt.areas)]
elif flt.area_groups:
    framed = boundaries[boundaries["area_group_id"].isin(flt.area_groups)]
view = maps.view_for(framed if len(framed) else boundaries)
view.zoom += 0.6  # the map is wider than tall
default_resolution = maps.readable_resolution(view.zoom, view.latitude, RESOLUTIONS)

# --- Controls ---------------------------------------------------------------------------------
ctl = st.columns([1.4, 1.1, 1.1, 1.1, 1.3])
layer = ctl[0].radio(
    t("map.layer"),
    LAYERS,
    format_func=lambda v: t(f"map.layer_{v}"),
    horizontal=True,
    key="map_layer",
    bind="query-params",
)
colour_by = ctl[1].radio(
    t("map.colour_by"),
    ("kind", "category"),
    format_func=lambda v: t(f"map.colour_{v}"),
    horizontal=True,
    key="map_colour",
    bind="query-params",
)
resolution = ctl[2].select_slider(
    t("map.resolution"),
    RESOLUTIONS,
    value=default_resolution,
    format_func=lambda r: t(f"map.res_{r}"),
    key="map_res",
    bind="query-params",
)
measure = ctl[3].radio(
    t("map.measure"),
    ("count", "rate"),
    format_func=lambda v: t(f"map.measure_{v}"),
    horizontal=True,
    key="map_measure",
    bind="query-params",
)
with ctl[4]:
    show_actions = st.toggle(t("map.show_actions"), value=True, key="map_actions")
    basemap = st.toggle(
        t("map.basemap"), value=False, key="map_basemap", help=t("map.basemap_help")
    )

# --- Figures ----------------------------------------------------------------------------------
coverage = data.query("map_coverage", flt).iloc[0]
total, drawable = int(coverage["total"]), int(coverage["drawable"])
area_counts_keyed = data.keyed_query("map_areas", flt)
area_counts = area_counts_keyed.frame.set_index("area_id")

too_many_points = layer == "points" and drawable > POINT_CAP
draw_cells = layer == "cells" or too_many_points
nothing = data.Keyed(pd.DataFrame(), ("nothing",))
cells_keyed = data.keyed_query("map_cells", flt, resolution=resolution) if draw_cells else nothing
cells = cells_keyed.frame
points_keyed = nothing
if layer == "points" and not too_many_points and drawable:
    pages = [data.keyed_query("map_points", flt, offset=o) for o in range(0, drawable, POINT_PAGE)]
    points_keyed = data.Keyed(
        pd.concat([p.frame for p in pages], ignore_index=True), tuple(p.key for p in pages)
    )
points = points_keyed.frame
actions_keyed = data.keyed_query("map_actions", flt, today=today) if show_actions else nothing
actions = actions_keyed.frame
hotspots = data.query(
    "map_hotspots", flt, resolution=resolution, top=HOTSPOT_TOP, weeks=HOTSPOT_WEEKS
)
# Which of them the space-time test calls new, emerging, persistent or fading, and since when.
hot_status = hotspot_model.status_by_cell(data.derived(hotspot_model.for_filter, flt), resolution)

m = st.columns(4)
m[0].metric(t("map.drawn"), f"{number(drawable)} / {number(total)}")
m[1].metric(t("map.not_on_map"), number(total - drawable))
if layer == "areas":
    m[2].metric(t("map.areas_count"), number(int((area_counts["n"] > 0).sum())))
else:
    m[2].metric(
        t("map.cells_count") if draw_cells else t("map.points_count"),
        number(len(cells) if draw_cells else len(points)),
    )
m[3].metric(t("map.open_actions"), number(len(actions)) if show_actions else "–")
st.caption(
    t(
        "map.not_drawn",
        coarse=number(int(coverage["coarse"])),
        sensitive=number(int(coverage["sensitive"])),
    )
)
if too_many_points:
    st.warning(t("map.point_cap", n=number(drawable), cap=number(POINT_CAP)))
if draw_cells and len(cells) >= 5000:
    st.warning(t("map.cell_cap"))


# --- Layers -------------------------------------------------------------------------------
def category_colours() -> dict[str, list[int]]:
    return maps.category_colour_map(list(cat_labels))


def area_tip(row) -> str:
    rate = "–" if pd.isna(row["rate"]) else number(row["rate"], 1)
    return t(
        "map.tip_area",
        area=row["area"],
        group=row["area_group"],
        n=number(int(row["n"])),
        rate=rate,
    )


fill = None
if layer == "areas":
    fill = area_counts["rate" if measure == "rate" else "n"].fillna(0.0)


def map_deck(
    boundaries: pd.DataFrame,
    area_counts: pd.DataFrame,
    cells: pd.DataFrame,
    points: pd.DataFrame,
    actions: pd.DataFrame,
    *,
    fill: pd.Series | None,
    colour_by: str,
    view: dict,
    basemap: bool,
    lang: str,
):
    """The map's layers with their tooltips: built once per view (see ui/render.py); ``lang``
    only keys the cache, as the tooltips are written in it."""
    area_counts = area_counts.set_index("area_id")
    area_tips = area_counts.apply(area_tip, axis=1) if len(area_counts) else None
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
            palette = category_colours()
            colours = [palette.get(c, [90, 90, 90]) for c in cells["top_category"]]
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
            palette = category_colours()
            colours = [palette.get(c, [90, 90, 90]) for c in points["category"]]
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
    return maps.deck(layers, pdk.ViewState(**view), tooltip={"text": "{tip}"}, basemap=basemap)


# --- Legend ---------------------------------------------------------------------------------
def swatch(rgb, text: str, shape: str = "border-radius:3px") -> str:
    colour = f"rgb({rgb[0]},{rgb[1]},{rgb[2]})"
    return (
        f'<span style="display:inline-flex;align-items:center;margin-right:1.2em">'
        f'<span style="width:16px;height:16px;background:{colour};{shape};'
        f'display:inline-block;margin-right:6px;border:1px solid #444"></span>'
        f"{html.escape(text)}</span>"
    )


legend = []
if layer == "areas":
    peak = float(fill.max()) if fill is not None and len(fill) else 0.0
    legend.append(
        swatch([255, 245, 235], number(0))
        + "→ "
        + swatch([255, 55, 35], number(peak, 1 if measure == "rate" else 0))
    )
    legend.append(html.escape(t(f"map.measure_{measure}")))
elif colour_by == "kind":
    legend += [swatch(maps.KIND_RGB[k], kind_label(k, lang)) for k in KINDS]
    if draw_cells:
        legend.append(html.escape(t("map.legend_mix")))
else:
    shown = (
        cells["top_category"]
        if draw_cells and not cells.empty
        else (points["category"] if not points.empty else pd.Series(dtype=str))
    )
    palette = category_colours()
    legend += [
        swatch(palette[c], cat_labels.get(c, c)) for c in shown.value_counts().index if c in palette
    ]
if show_actions and not actions.empty:
    ring = "rgb({},{},{})".format(*maps.ACTION_RGB)  # hollow, as on the map
    legend.append(
        swatch(
            maps.ACTION_RGB,
            t("map.legend_actions"),
            f"border-radius:50%;background:transparent;box-shadow:inset 0 0 0 3px {ring}",
        )
    )


# --- Selection --------------------------------------------------------------------------------
def _on_map_select() -> None:
    state = st.session_state.get("map_deck") or {}
    objects = (state.get("selection") or {}).get("objects") or {}
    pick = None
    if objects.get("cells"):
        pick = (
            "cell",
            objects["cells"][0].get("hex"),
            st.session_state.get("map_res", default_resolution),
        )
    elif objects.get("points"):
        pick = ("cell", objects["points"][0].get("cell"), 9)
    elif objects.get("areas"):
        props = objects["areas"][0].get("properties") or objects["areas"][0]
        pick = ("area", props.get("id"), None)
    if pick and pick[1]:
        st.session_state["map_pick"] = pick
        st.session_state["map_pick_box"] = None


def _on_pick_box() -> None:
    value = st.session_state.get("map_pick_box")
    if value:
        kind, ident = value.split(":", 1)
        st.session_state["map_pick"] = (
            kind,
            ident,
            st.session_state.get("map_res", default_resolution),
        )


def _clear_pick() -> None:
    st.session_state.pop("map_pick", None)
    st.session_state["map_pick_box"] = None


def _filter_area(area_id: str) -> None:
    group = labels["area_group_of"].get(area_id)
    groups = list(st.session_state.get("groups") or [])
    if groups and group not in groups:
        st.session_state["groups"] = [*groups, group]
    st.session_state["areas"] = [area_id]
    _clear_pick()


left, right = st.columns([1, 1.1])  # the hotspot table's seven columns whole at 1920 px
with left:
    deck = render.deck(
        map_deck,
        boundaries_keyed,
        area_counts_keyed,
        cells_keyed,
        points_keyed,
        actions_keyed,
        fill=fill,
        colour_by=colour_by,
        view=vars(view),
        basemap=basemap,
        lang=lang,
    )
    st.pydeck_chart(
        deck, height=720, on_select=_on_map_select, selection_mode="single-object", key="map_deck"
    )
    st.markdown(" ".join(legend), unsafe_allow_html=True)
    st.caption(t("map.click_hint"))

with right:
    st.subheader(t("map.hotspots"))
    st.caption(t("map.hotspots_text", top=HOTSPOT_TOP, weeks=HOTSPOT_WEEKS))
    if hotspots.empty:
        st.info(t("word.no_data"))
    else:
        places = hotspots["place"].where(hotspots["place"] != "", hotspots["area"])
        shown = [
            p if not a or p == a else f"{p} ({a})"
            for p, a in zip(places, hotspots["area"], strict=True)
        ]
        merged = maps.merge_hotspots_by_place(hotspots, pd.Series(shown))  # one row a place
        hot = pd.DataFrame(
            {
                t("word.place"): merged["label"],
                t("map.top_category"): merged["top_category"].map(lambda c: cat_labels.get(c, c)),
                t("word.count"): merged["n"],
                t("map.share"): [f"{number(v, 1)} %" for v in merged["share"]],
                t("map.persistence"): merged["persistence"],
                # a merged place takes the status of its busiest cell
                t("signals.hotspot_status"): [
                    t(f"signals.hotspot_{hot_status[c][0]}") if c in hot_status else ""
                    for c in merged["cell"]
                ],
                t("signals.hotspot_since"): [
                    hot_status[c][1] if c in hot_status else "" for c in merged["cell"]
                ],
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
                    format=f"%d / {HOTSPOT_WEEKS}",
                    min_value=0,
                    max_value=HOTSPOT_WEEKS,
                    width=104,
                    help=t("map.persistence_help", top=HOTSPOT_TOP, weeks=HOTSPOT_WEEKS),
                ),
                t("signals.hotspot_status"): st.column_config.TextColumn(width=80),
                t("signals.hotspot_since"): st.column_config.TextColumn(width=84),
            },
        )
        st.caption(t("map.persistence_text"))
    options = [f"cell:{c}" for c in hotspots["cell"]] + [f"area:{a}" for a in area_counts.index]
    hot_names = dict(
        zip(
            hotspots["cell"],
            hotspots["place"].where(hotspots["place"] != "", hotspots["area"]),
            strict=True,
        )
    )
    seen: dict[str, int] = {}
    for cell in hotspots["cell"]:  # two cells of one place: "Busstation", "Busstation (2)"
        seen[hot_names[cell]] = seen.get(hot_names[cell], 0) + 1
        if seen[hot_names[cell]] > 1:
            hot_names[cell] = f"{hot_names[cell]} ({seen[hot_names[cell]]})"

    def pick_label(value: str) -> str:
        kind, ident = value.split(":", 1)
        if kind == "cell":
            return t("map.pick_cell", place=hot_names.get(ident, ident))
        return t("map.pick_area", area=labels["areas"].get(ident, ident))

    st.selectbox(
        t("map.pick"),
        options,
        index=None,
        format_func=pick_label,
        placeholder=t("map.pick_placeholder"),
        key="map_pick_box",
        on_change=_on_pick_box,
    )

# --- Events behind the selection ---------------------------------------------------------------
pick = st.session_state.get("map_pick")
selected = pd.DataFrame()
if pick:
    kind, ident, res = pick
    params = {
        "cell": int(ident, 16) if kind == "cell" else None,
        "area": ident if kind == "area" else None,
        "resolution": int(res or 9),
    }
    selected = data.query("map_selection", flt, limit=EVENT_ROWS, **params)
    if kind == "cell":
        title = t(
            "map.selected_cell",
            place=hot_names.get(ident)
            or (selected["area"].mode().iloc[0] if selected["area"].notna().any() else ident),
        )
    else:
        title = t("map.selected_area", area=labels["areas"].get(ident, ident))
    st.subheader(md(title))
    cols = st.columns([1, 1, 3])
    cols[0].button(t("map.clear_pick"), on_click=_clear_pick, icon=":material/close:")
    target_area = (
        ident
        if kind == "area"
        else (selected["area_id"].mode().iloc[0] if selected["area_id"].notna().any() else None)
    )
    if target_area:
        cols[1].button(
            t("map.set_area_filter", area=labels["areas"].get(target_area, target_area)),
            on_click=_filter_area,
            args=(target_area,),
            icon=":material/filter_alt:",
        )
    if selected.empty:
        st.info(t("word.no_data"))
    else:
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
        if len(selected) >= EVENT_ROWS:
            st.caption(t("map.rows_capped", n=number(EVENT_ROWS)))
        st.dataframe(shown, hide_index=True, width="stretch", height=min(460, 38 + 35 * len(shown)))

# --- Export -----------------------------------------------------------------------------------
st.subheader(t("map.export"))
ex = st.columns(4)
with ex[0]:
    if draw_cells:
        csv_download(
            cells.drop(columns=["tip", "fill"], errors="ignore"),
            "karta_celler.csv",
            t("map.export_cells"),
            key="export_cells",
        )
    else:
        csv_download(
            area_counts.reset_index(),
            "karta_omraden.csv",
            t("map.export_areas"),
            key="export_areas",
        )
with ex[1]:
    csv_download(hotspots, "karta_hotspots.csv", t("map.export_hotspots"), key="export_hot")
with ex[2]:
    csv_download(
        lambda: data.query(
            "map_selection", flt, limit=EXPORT_ROWS, cell=None, area=None, resolution=9
        ),
        "karta_handelser.csv",
        t("map.export_events", n=number(EXPORT_ROWS)),
        key="export_events",
    )
with ex[3]:
    if not selected.empty:
        csv_download(selected, "karta_urval.csv", t("map.export_selection"), key="export_sel")
st.caption(t("map.export_text", n=number(EXPORT_ROWS)))
