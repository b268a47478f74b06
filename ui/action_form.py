"""The create-action form, shared by the Actions page and the Lägesbild page.

``render_action_form(actor, key=...)`` draws the form (pre-filled with the given area group,
area and categories), saves through ``safetycore.actions`` and returns the new action's id on
the run after a successful save (else None). User text is always shown as text.

The follow-up of an action is ``ui/action_followup.py``, its effect ``ui/action_effect.py``.
"""

from __future__ import annotations

import datetime as dt

import pydeck as pdk
import streamlit as st

from safetycore import actions, disclosure, maps, palette
from safetycore.access import AccessDenied, Actor
from ui import ONLY_ON_SAVE, cache, data
from ui.action_shared import (
    error_box,
    error_lines,
    no_edit_caption,
    now,
    org_labels,
    origin_label,
    priority_label,
)
from ui.filters import hidden_categories, label_maps
from ui.i18n import t
from ui.text import md

DEFAULT_DUE_DAYS = 14


def _state(key: str, name: str) -> str:
    return f"{key}__{name}"


def _init(key: str, *, area_group_id, categories, area_id, groups) -> None:
    """Set the widgets' starting values once (and again after a save clears them)."""
    ss = st.session_state
    prefill = (area_group_id, tuple(categories), area_id)
    if ss.get(_state(key, "ready")) and ss.get(_state(key, "prefill")) == prefill:
        return
    ss[_state(key, "prefill")] = prefill  # a page that pre-fills other values starts afresh
    today = cache.reference_date()
    ss[_state(key, "title")] = ""
    ss[_state(key, "description")] = ""
    ss[_state(key, "group")] = area_group_id if area_group_id in groups else next(iter(groups))
    ss[_state(key, "area")] = area_id or ""
    ss[_state(key, "cats")] = list(categories)
    ss[_state(key, "assignee")] = ""
    ss[_state(key, "priority")] = "normal"
    ss[_state(key, "origin")] = "situation_meeting"
    ss[_state(key, "start")] = today
    ss[_state(key, "due")] = today + dt.timedelta(days=DEFAULT_DUE_DAYS)
    ss[_state(key, "cost")] = None
    ss[_state(key, "use_point")] = False
    ss[_state(key, "radius")] = actions.DEFAULT_RADIUS_M
    ss[_state(key, "point")] = None
    ss[_state(key, "ready")] = True


def _save(key: str, actor: Actor) -> None:
    """Button callback: create the action; on success clear the form for the next one."""
    ss = st.session_state
    point = ss.get(_state(key, "point")) if ss.get(_state(key, "use_point")) else None
    cost = ss.get(_state(key, "cost"))
    draft = actions.ActionDraft(
        title=ss.get(_state(key, "title"), ""),
        description=ss.get(_state(key, "description"), ""),
        area_group_id=ss.get(_state(key, "group")),
        area_id=ss.get(_state(key, "area")) or None,
        target_categories=tuple(ss.get(_state(key, "cats"), ())),
        owner_org=ss.get(_state(key, "owner")) or "",
        assignee=ss.get(_state(key, "assignee"), ""),
        priority=ss.get(_state(key, "priority")),
        origin=ss.get(_state(key, "origin")),
        start_date=ss.get(_state(key, "start")),
        due_date=ss.get(_state(key, "due")),
        lat=point[0] if point else None,
        lon=point[1] if point else None,
        radius_m=int(ss.get(_state(key, "radius"))) if point else None,
        cost_sek=float(cost) if cost is not None else None,
    )
    try:
        new_id = actions.create_action(data.con(), actor, draft, now=now())
    except (actions.ActionError, AccessDenied) as exc:
        ss[_state(key, "errors")] = error_lines(exc)
        return
    ss[_state(key, "errors")] = []
    ss[_state(key, "created")] = new_id
    ss[_state(key, "created_title")] = draft.title.strip()
    ss[_state(key, "ready")] = False  # re-initialise the widgets on this rerun


def _point_picker(key: str, area_id: str | None) -> None:
    ss = st.session_state
    if not area_id:
        st.caption(t("actions.form.point_needs_area"))
        ss[_state(key, "point")] = None
        return
    boundaries = cache.query("area_boundaries")
    area = boundaries[boundaries["id"] == area_id]
    cells = cache.memo(actions.pick_cells, area.iloc[0]["boundary_geojson"])
    layers = [maps.boundary_layer(area), _pick_layer(cells)]
    picked = ss.get(_state(key, "point"))
    if picked:
        layers.append(_picked_layer(picked))
    st.caption(t("actions.form.point_help"))
    event = st.pydeck_chart(
        maps.deck(layers, _closer(maps.view_for(area))),
        height=360,
        on_select="rerun",
        selection_mode="single-object",
        key=_state(key, "map"),
    )
    objects = (event.selection.get("objects") or {}).get("pick") if event else None
    if objects:
        ss[_state(key, "point")] = (float(objects[0]["lat"]), float(objects[0]["lon"]))
    picked = ss.get(_state(key, "point"))
    if picked:
        st.caption(t("actions.form.point_picked", lat=f"{picked[0]:.5f}", lon=f"{picked[1]:.5f}"))
    else:
        st.caption(t("actions.form.point_none"))
    st.number_input(
        t("actions.form.radius"), min_value=10, max_value=20000, step=50, key=_state(key, "radius")
    )


def _closer(view):
    view.zoom = min(16.0, view.zoom + 0.5)
    return view


def _pick_layer(cells):
    """Light, clickable cells over the area; the clicked cell's centre becomes the point."""
    return pdk.Layer(
        "H3HexagonLayer",
        cells.rename(columns={"cell": "hex"}),
        id="pick",
        get_hexagon="hex",
        get_fill_color=[*palette.rgb(palette.BLUE), 40],
        extruded=False,
        stroked=True,
        get_line_color=[*palette.rgb(palette.BLUE), 90],
        line_width_min_pixels=0.5,
        pickable=True,
        auto_highlight=True,
        highlight_color=[*palette.rgb(palette.RED), 160],
    )


def _picked_layer(point: tuple[float, float]):
    return pdk.Layer(
        "ScatterplotLayer",
        [{"lat": point[0], "lon": point[1]}],
        id="picked",
        get_position=["lon", "lat"],
        get_radius=40,
        radius_min_pixels=6,
        get_fill_color=[*palette.rgb(palette.RED), 230],
    )


def render_action_form(
    actor: Actor | None,
    *,
    key: str,
    area_group_id: str | None = None,
    categories: tuple[str, ...] = (),
    area_id: str | None = None,
) -> int | None:
    """Draw the create form; returns the new action's id right after a save, else None."""
    if actor is not None and not actor.can("edit_actions"):
        no_edit_caption(actor)
        return None
    labels = label_maps()
    groups = labels["groups"]
    hidden = hidden_categories()  # sensitive categories are no option for a role not seeing them
    categories = tuple(disclosure.visible_options(categories, hidden))
    _init(key, area_group_id=area_group_id, categories=categories, area_id=area_id, groups=groups)
    ss = st.session_state

    created = ss.pop(_state(key, "created"), None)
    if created is not None:
        st.success(
            t("actions.form.saved", title=md(ss.get(_state(key, "created_title"), "")), id=created)
        )

    st.text_input(
        t("actions.form.title"),
        key=_state(key, "title"),
        help=t("actions.form.title_help"),
        on_change=ONLY_ON_SAVE,
    )
    left, right = st.columns(2)
    group = left.selectbox(
        t("word.area_group"), list(groups), format_func=groups.get, key=_state(key, "group")
    )
    area_options = [""] + [a for a, g in labels["area_group_of"].items() if g == group]
    if ss.get(_state(key, "area")) not in area_options:
        ss[_state(key, "area")] = ""
    picking_point = bool(ss.get(_state(key, "use_point")))
    area = right.selectbox(
        t("actions.form.area"),
        area_options,
        key=_state(key, "area"),
        format_func=lambda a: labels["areas"].get(a, t("actions.whole_group")),
        on_change="rerun" if picking_point else ONLY_ON_SAVE,  # the point map shows the area
    )
    st.multiselect(
        t("actions.categories"),
        disclosure.visible_options(labels["categories"], hidden),
        format_func=labels["categories"].get,
        key=_state(key, "cats"),
        placeholder=t("actions.categories_placeholder"),
        on_change=ONLY_ON_SAVE,
        select_all=False,
    )
    orgs = org_labels()
    c1, c2, c3 = st.columns(3)
    c1.selectbox(
        t("actions.owner"),
        list(orgs),
        format_func=orgs.get,
        key=_state(key, "owner"),
        on_change=ONLY_ON_SAVE,
    )
    c2.text_input(t("actions.assignee"), key=_state(key, "assignee"), on_change=ONLY_ON_SAVE)
    c3.number_input(
        t("actions.form.cost"),
        min_value=0,
        step=5000,
        key=_state(key, "cost"),
        on_change=ONLY_ON_SAVE,
    )
    c1, c2, c3, c4 = st.columns(4)
    c1.date_input(
        t("actions.start"), key=_state(key, "start"), format="YYYY-MM-DD", on_change=ONLY_ON_SAVE
    )
    c2.date_input(
        t("actions.due"), key=_state(key, "due"), format="YYYY-MM-DD", on_change=ONLY_ON_SAVE
    )
    c3.selectbox(
        t("actions.priority"),
        actions.PRIORITIES,
        format_func=priority_label,
        key=_state(key, "priority"),
        on_change=ONLY_ON_SAVE,
    )
    c4.selectbox(
        t("actions.origin"),
        actions.ORIGINS,
        format_func=origin_label,
        key=_state(key, "origin"),
        on_change=ONLY_ON_SAVE,
    )
    st.text_area(
        t("actions.form.description"),
        key=_state(key, "description"),
        height=90,
        on_change=ONLY_ON_SAVE,
    )
    if st.checkbox(t("actions.form.use_point"), key=_state(key, "use_point")):
        _point_picker(key, area or None)

    if actor is None:
        st.caption(t("actions.form.need_name"))
    st.button(
        t("actions.form.save"),
        type="primary",
        key=_state(key, "save"),
        on_click=_save,
        args=(key, actor),
        disabled=actor is None,
    )
    error_box(ss.get(_state(key, "errors")))
    return created
