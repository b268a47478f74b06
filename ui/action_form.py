"""The create-action form, shared by the Actions page and the Lägesbild page.

``render_action_form(actor, key=...)`` draws the form (pre-filled with the given area group,
area and categories), saves through ``safetycore.actions`` and returns the new action's id on
the run after a successful save (else None). User text is always shown as text.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from safetycore import actions, clock, disclosure, effect, maps
from safetycore.access import AccessDenied, Actor
from ui import ONLY_ON_SAVE, data, render
from ui.filters import hidden_categories, label_maps
from ui.format import number
from ui.i18n import current_language, t
from ui.text import md, show

DEFAULT_DUE_DAYS = 14


def now() -> dt.datetime:
    """The time a change is recorded at: the reference day ('today' of the data), real clock."""
    return dt.datetime.combine(
        data.reference_date(), clock.now(data.meta().get("timezone")).time()
    ).replace(microsecond=0)


def problem_text(problem: actions.Problem) -> str:
    """A validation problem in the user's language (field names translated)."""
    params = {k: v for k, v in problem.params.items()}
    return t(f"actions.err.{problem.code}", field=t(f"actions.field.{problem.field}"), **params)


def error_lines(exc: Exception) -> list[str]:
    if isinstance(exc, actions.InvalidAction):
        return [problem_text(p) for p in exc.problems]
    if isinstance(exc, AccessDenied):
        return [t("actions.err.denied", reason=str(exc))]
    if isinstance(exc, actions.ActionNotFound):
        return [t("actions.err.not_found")]
    return [str(exc)]


def status_label(code: str) -> str:
    return t(f"actions.status_label.{code}")


def priority_label(code: str) -> str:
    return t(f"actions.priority_label.{code}")


def origin_label(code: str) -> str:
    return t(f"actions.origin_label.{code}")


def org_labels() -> dict[str, str]:
    return label_maps(current_language())["sources"]


def _state(key: str, name: str) -> str:
    return f"{key}__{name}"


def _init(key: str, *, area_group_id, categories, area_id, groups) -> None:
    """Set the widgets' starting values once (and again after a save clears them)."""
    ss = st.session_state
    prefill = (area_group_id, tuple(categories), area_id)
    if ss.get(_state(key, "ready")) and ss.get(_state(key, "prefill")) == prefill:
        return
    ss[_state(key, "prefill")] = prefill  # a page that pre-fills other values starts afresh
    today = data.reference_date()
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
    boundaries = data.query("area_boundaries")
    area = boundaries[boundaries["id"] == area_id]
    cells = _pick_cells(area_id, area.iloc[0]["boundary_geojson"])
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


@st.cache_data(show_spinner=False, max_entries=64)
def _pick_cells(area_id: str, boundary_geojson: str):
    return actions.pick_cells(boundary_geojson)


def _pick_layer(cells):
    """Light, clickable cells over the area; the clicked cell's centre becomes the point."""
    import pydeck as pdk

    return pdk.Layer(
        "H3HexagonLayer",
        cells.rename(columns={"cell": "hex"}),
        id="pick",
        get_hexagon="hex",
        get_fill_color=[36, 113, 163, 40],
        extruded=False,
        stroked=True,
        get_line_color=[36, 113, 163, 90],
        line_width_min_pixels=0.5,
        pickable=True,
        auto_highlight=True,
        highlight_color=[192, 57, 43, 160],
    )


def _picked_layer(point: tuple[float, float]):
    import pydeck as pdk

    return pdk.Layer(
        "ScatterplotLayer",
        [{"lat": point[0], "lon": point[1]}],
        id="picked",
        get_position=["lon", "lat"],
        get_radius=40,
        radius_min_pixels=6,
        get_fill_color=[192, 57, 43, 230],
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
        st.caption(t("actions.read_only") if actor.read_only else t("actions.form.no_permission"))
        return None
    labels = label_maps(current_language())
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
    errors = ss.get(_state(key, "errors"))
    if errors:
        st.error(t("actions.form.not_saved") + "\n\n" + "\n".join(f"- {md(e)}" for e in errors))
    return created


# ---------------------------------------------------------------------------------------------
# Follow-up of one action: details, status, reassignment, note, closing, history


def _fkey(action_id: int, name: str) -> str:
    return f"follow_{action_id}__{name}"


def _load(action_id: int) -> dict:
    """Read the action and set the edit widgets to its values (the version we edit against)."""
    ss = st.session_state
    current = actions.get_action(data.con(), action_id)
    ss[_fkey(action_id, "loaded")] = current
    ss[_fkey(action_id, "status")] = current["status"]
    ss[_fkey(action_id, "owner")] = current["owner_org"]
    ss[_fkey(action_id, "assignee")] = current["assignee"]
    ss[_fkey(action_id, "due")] = current["due_date"]
    ss[_fkey(action_id, "priority")] = current["priority"]
    ss[_fkey(action_id, "note")] = ""
    ss[_fkey(action_id, "outcome")] = ""
    ss[_fkey(action_id, "conflict")] = None
    return current


def _after_write(action_id: int, message: str) -> None:
    ss = st.session_state
    _load(action_id)
    ss[_fkey(action_id, "errors")] = []
    ss[_fkey(action_id, "message")] = message


def _on_error(action_id: int, exc: Exception) -> None:
    ss = st.session_state
    if isinstance(exc, actions.ActionConflict):
        ss[_fkey(action_id, "conflict")] = exc.current
        ss[_fkey(action_id, "errors")] = []
    else:
        ss[_fkey(action_id, "errors")] = error_lines(exc)


def _save_changes(action_id: int, actor: Actor) -> None:
    ss = st.session_state
    loaded = ss[_fkey(action_id, "loaded")]
    wanted = {
        "status": ss.get(_fkey(action_id, "status")),
        "owner_org": ss.get(_fkey(action_id, "owner")),
        "assignee": (ss.get(_fkey(action_id, "assignee")) or "").strip(),
        "due_date": ss.get(_fkey(action_id, "due")),
        "priority": ss.get(_fkey(action_id, "priority")),
    }
    changes = {k: v for k, v in wanted.items() if v != loaded[k]}
    note = ss.get(_fkey(action_id, "note")) or ""
    if not changes and not note.strip():
        ss[_fkey(action_id, "message")] = t("actions.edit.nothing")
        return
    try:
        actions.update_action(
            data.con(), actor, action_id, loaded["version"], changes, note=note, now=now()
        )
    except (actions.ActionError, AccessDenied) as exc:
        _on_error(action_id, exc)
        return
    _after_write(action_id, t("actions.edit.saved"))


def _close(action_id: int, actor: Actor) -> None:
    ss = st.session_state
    loaded = ss[_fkey(action_id, "loaded")]
    try:
        actions.close_action(
            data.con(),
            actor,
            action_id,
            loaded["version"],
            ss.get(_fkey(action_id, "outcome")) or "",
            status=ss.get(_fkey(action_id, "close_as")) or "done",
            now=now(),
        )
    except (actions.ActionError, AccessDenied) as exc:
        _on_error(action_id, exc)
        return
    _after_write(action_id, t("actions.edit.closed"))


def _value_text(name: str, value, labels: dict) -> str:
    """A stored value as the user reads it: codes as labels, lists joined, None as a dash."""
    if value is None or (not isinstance(value, list | tuple | str) and pd_isna(value)):
        return "–"
    if name == "status":
        return status_label(value)
    if name == "priority":
        return priority_label(value)
    if name == "origin":
        return origin_label(value)
    if name == "owner_org":
        return labels["sources"].get(value, value)
    if name == "area_group_id":
        return labels["groups"].get(value, value)
    if name == "area_id":
        return labels["areas"].get(value, value)
    if name == "cost_sek":
        try:
            return f"{number(float(value))} kr"
        except ValueError:
            return str(value)
    if name == "target_categories":
        codes = value if isinstance(value, list | tuple) else str(value).split(", ")
        codes = disclosure.visible_codes([c.strip() for c in codes], hidden_categories())
        return ", ".join(labels["categories"].get(c, c) for c in codes if c) or "–"
    return str(value)


def pd_isna(value) -> bool:
    import pandas as pd

    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _details(action: dict, labels: dict) -> None:
    import pandas as pd

    names = (
        "status",
        "owner_org",
        "assignee",
        "due_date",
        "priority",
        "origin",
        "area_group_id",
        "area_id",
        "target_categories",
        "start_date",
        "cost_sek",
        "created",
        "outcome",
    )
    values = dict(action)
    values["created"] = f"{action['created_at']:%Y-%m-%d %H:%M} · {action['created_by']}"
    rows = [(t(f"actions.field.{n}"), _value_text(n, values.get(n), labels)) for n in names]
    st.dataframe(
        pd.DataFrame(rows, columns=["field", "value"]),
        hide_index=True,
        width="stretch",
        height="content",
        column_config={"field": t("actions.edit.field"), "value": t("actions.edit.details")},
    )
    if action.get("description"):
        show(action["description"])


def _history(action_id: int, labels: dict) -> None:
    import pandas as pd

    log = data.query("actions_history", action_id=action_id)
    st.markdown(f"**{t('actions.history')}**")
    if log.empty:
        st.caption(t("actions.edit.history_empty"))
        return
    shown = pd.DataFrame(
        {
            "changed_at": log["changed_at"].dt.strftime("%Y-%m-%d %H:%M"),
            "changed_by": log["changed_by"],
            "field": log["field"].map(lambda f: t(f"actions.field.{f}")),
            "old_value": [
                _value_text(f, v, labels)
                for f, v in zip(log["field"], log["old_value"], strict=True)
            ],
            "new_value": [
                _value_text(f, v, labels)
                for f, v in zip(log["field"], log["new_value"], strict=True)
            ],
        }
    )
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        key=f"history_{action_id}",
        column_config={
            "changed_at": t("actions.edit.changed_at"),
            "changed_by": t("actions.edit.changed_by"),
            "field": t("actions.edit.field"),
            "old_value": t("actions.edit.old"),
            "new_value": t("actions.edit.new"),
        },
    )


def render_follow_up(actor: Actor | None, action_id: int, *, orgs: dict, labels: dict) -> None:
    """Details, edit widgets (status, reassign, due, priority, note), closing and history."""
    ss = st.session_state
    try:
        current = actions.get_action(data.con(), action_id)
    except actions.ActionNotFound:
        st.warning(t("actions.err.not_found"))
        return
    if ss.get(_fkey(action_id, "loaded")) is None:
        _load(action_id)
    loaded = ss[_fkey(action_id, "loaded")]

    st.subheader(md(current["title"]))
    left, right = st.columns([2, 3])
    with left:
        _details(current, labels)
    with right:
        _history(action_id, labels)

    message = ss.pop(_fkey(action_id, "message"), None)
    if message:
        st.success(message)
    conflict = ss.get(_fkey(action_id, "conflict"))
    if conflict:
        st.warning(t("actions.edit.conflict", who=md(conflict.get("last_changed_by") or "?")))
        _details(conflict, labels)
        st.button(
            t("actions.edit.reload"),
            key=_fkey(action_id, "reload"),
            on_click=_load,
            args=(action_id,),
        )
    errors = ss.get(_fkey(action_id, "errors"))
    if errors:
        st.error(t("actions.form.not_saved") + "\n\n" + "\n".join(f"- {md(e)}" for e in errors))

    if actor is None:
        st.caption(t("actions.form.need_name"))
        return
    if not actor.can("edit_actions"):
        st.caption(t("actions.read_only") if actor.read_only else t("actions.form.no_permission"))
        return

    st.markdown(f"**{t('actions.edit.heading')}**")
    statuses = list(actions.OPEN_STATUSES)
    if loaded["status"] not in statuses:
        statuses.append(loaded["status"])
        st.caption(t("actions.edit.is_closed", status=status_label(loaded["status"])))
    c1, c2, c3, c4, c5 = st.columns(5)
    c1.selectbox(
        t("actions.edit.status"),
        statuses,
        format_func=status_label,
        key=_fkey(action_id, "status"),
        on_change=ONLY_ON_SAVE,
    )
    c2.selectbox(
        t("actions.owner"),
        list(orgs),
        format_func=orgs.get,
        key=_fkey(action_id, "owner"),
        on_change=ONLY_ON_SAVE,
    )
    c3.text_input(t("actions.assignee"), key=_fkey(action_id, "assignee"), on_change=ONLY_ON_SAVE)
    c4.date_input(
        t("actions.due"), key=_fkey(action_id, "due"), format="YYYY-MM-DD", on_change=ONLY_ON_SAVE
    )
    c5.selectbox(
        t("actions.priority"),
        actions.PRIORITIES,
        format_func=priority_label,
        key=_fkey(action_id, "priority"),
        on_change=ONLY_ON_SAVE,
    )
    st.text_area(
        t("actions.edit.note"), key=_fkey(action_id, "note"), height=80, on_change=ONLY_ON_SAVE
    )
    st.button(
        t("actions.edit.save"),
        type="primary",
        key=_fkey(action_id, "save"),
        on_click=_save_changes,
        args=(action_id, actor),
    )

    if loaded["status"] in actions.OPEN_STATUSES:
        st.markdown(f"**{t('actions.edit.close')}**")
        c1, c2 = st.columns([1, 3])
        c1.selectbox(
            t("actions.edit.close_as"),
            actions.CLOSED_STATUSES,
            format_func=status_label,
            key=_fkey(action_id, "close_as"),
            on_change=ONLY_ON_SAVE,
        )
        c2.text_area(
            t("actions.edit.outcome"),
            key=_fkey(action_id, "outcome"),
            height=80,
            on_change=ONLY_ON_SAVE,
        )
        st.button(
            t("actions.edit.close_button"),
            key=_fkey(action_id, "close"),
            on_click=_close,
            args=(action_id, actor),
        )


# ---------------------------------------------------------------------------------------------
# Effect: did it work?


@st.cache_data(show_spinner=False, max_entries=8)
def _neighbour_map(version: int) -> dict[str, tuple[str, ...]]:
    return effect.neighbours(data.query("area_boundaries"))


def neighbour_map() -> dict[str, tuple[str, ...]]:
    return _neighbour_map(data.data_version())


def _as_date(value):
    import pandas as pd

    return None if pd_isna(value) else pd.Timestamp(value).date()


def _fmt(x: float) -> str:
    return number(x, 2)


def _pct(x: float) -> str:
    return number(abs(100.0 * (x - 1.0)), 0)


def effect_statement(result: effect.Effect) -> tuple[str, str]:
    """(kind, text): kind is success / warning / info for the verdict's box."""
    est = result.estimate
    if result.verdict == "not_started":
        return "info", t("actions.effect.not_started")
    if result.verdict == "too_small":
        return "info", t(
            "actions.effect.too_small",
            before=result.target_before,
            after=result.target_after,
            min=result.min_count,
            expected=effect.MIN_EXPECTED,
        )
    if result.verdict == "drop":
        return "success", t(
            "actions.effect.drop",
            pct=_pct(est.ratio),
            low_pct=_pct(est.high),
            high_pct=_pct(est.low),
        )
    if result.verdict == "rise":
        return "warning", t(
            "actions.effect.rise",
            pct=_pct(est.ratio),
            low_pct=_pct(est.low),
            high_pct=_pct(est.high),
        )
    return "info", t("actions.effect.unclear", low=_fmt(est.low), high=_fmt(est.high))


def render_effect(frame, *, labels: dict, today) -> effect.Effect | None:
    """Pick an action, a period and a comparison; show counts, chart, ratio and displacement."""
    import pandas as pd

    rows = [
        r
        for r in frame.to_dict("records")
        if effect.evaluable(
            {
                **r,
                "area_id": None if pd_isna(r["area_id"]) else r["area_id"],
                "start_date": _as_date(r["start_date"]),
            }
        )
    ]
    st.subheader(t("actions.effect.heading"))
    if not rows:
        st.info(t("actions.effect.none"))
        return None
    # Place-bound actions (a point and radius: the hotspot measures) first, oldest start first:
    # they have the longest after period and the most to say.
    rows.sort(key=lambda r: (pd_isna(r.get("lat")), _as_date(r["start_date"]), r["id"]))
    by_id = {int(r["id"]): r for r in rows}
    c1, c2, c3 = st.columns([3, 1, 2])
    chosen = c1.selectbox(
        t("actions.effect.pick"),
        list(by_id),
        key="effect_action",
        format_func=lambda i: f"{i} · {by_id[i]['title']}",
    )
    weeks = c2.number_input(
        t("actions.effect.weeks"),
        min_value=4,
        max_value=104,
        value=effect.DEFAULT_WEEKS,
        step=1,
        key="effect_weeks",
    )
    action = dict(by_id[chosen])
    action["area_id"] = None if pd_isna(action["area_id"]) else action["area_id"]
    action["start_date"] = _as_date(action["start_date"])
    # What may be counted for this viewer: sensitive targets only for roles that may see them,
    # and only over an area or a radius large enough (safetycore/disclosure.py).
    scope = disclosure.effect_scope(
        action["target_categories"],
        sensitive=labels["sensitive"],
        sees_sensitive=not hidden_categories(),
        radius_m=action.get("radius_m"),
        has_point=not pd_isna(action.get("lat")),
    )
    action["target_categories"] = list(scope.categories)
    if scope.reason == "radius":  # only a role that may see them learns of sensitive targets
        st.caption(
            t("actions.effect.withheld_radius", radius=number(disclosure.min_sensitive_radius()))
        )
    if scope.refused:
        st.info(t("actions.effect.refused"))
        return None
    areas = labels["areas"]
    comparison = (
        c3.selectbox(
            t("actions.effect.comparison"),
            ["", *[a for a in areas if a != action["area_id"]]],
            key="effect_comparison",
            format_func=lambda a: areas.get(a, t("actions.effect.rest")),
        )
        or None
    )
    nbrs = neighbour_map().get(action["area_id"], ()) if action["area_id"] else ()
    nbrs = tuple(n for n in nbrs if n != comparison)
    win = effect.window(action["start_date"], int(weeks), today)
    weekly = data.query(
        "actions_effect_weekly",
        **effect.query_params(
            action,
            win,
            neighbour_ids=nbrs,
            comparison_area=comparison,
            include_sensitive=scope.include_sensitive,
        ),
    )
    result = effect.summarise(weekly, win, has_neighbours=bool(nbrs))

    has_point = not pd_isna(action.get("lat"))

    def target_of(area_name: str) -> str:
        return (
            t(
                "actions.effect.target_point",
                radius=int(action.get("radius_m") or 300),
                area=area_name,
            )
            if has_point
            else t("actions.effect.target_area", area=area_name)
        )

    area_plain = areas.get(action["area_id"], "–")
    target_text = target_of(md(area_plain))  # for Markdown captions; the table gets plain text
    comparison_text = areas[comparison] if comparison else t("actions.effect.rest")
    st.caption(
        t("actions.effect.intro", weeks=int(weeks))
        + " "
        + f"{t('actions.effect.target')}: {target_text}. "
        + f"{t('actions.categories')}: "
        + ", ".join(md(labels["categories"].get(c, c)) for c in action["target_categories"])
        + f". {t('actions.start')}: {action['start_date'].isoformat()}."
    )
    if result.truncated:
        st.caption(t("actions.effect.after_short", weeks=int(weeks), end=today.isoformat()))

    kind, text = effect_statement(result)
    getattr(st, kind)(text)
    if result.after_peak:  # regression to the mean: part of a fall would have come anyway
        st.warning(t("signals.effect_after_peak"))
    st.caption(t("signals.effect_matched") if result.matched else t("signals.effect_adjacent"))
    m1, m2, m3 = st.columns(3)
    m1.metric(
        f"{t('actions.effect.target')}: {t('actions.effect.before')} → {t('actions.effect.after')}",
        f"{number(result.target_before)} → {number(result.target_after)}",
    )
    m2.metric(
        f"{t('actions.effect.comparison')}: {t('actions.effect.before')} → "
        f"{t('actions.effect.after')}",
        f"{number(result.comparison_before)} → {number(result.comparison_after)}",
    )
    est = result.estimate
    m3.metric(
        t("actions.effect.ratio"),
        t(
            "actions.effect.ratio_value",
            ratio=_fmt(est.ratio),
            low=_fmt(est.low),
            high=_fmt(est.high),
        )
        if est
        else "–",
    )

    zone_labels = {
        "target": f"{t('actions.effect.target')}: {target_of(area_plain)}",
        "comparison": f"{t('actions.effect.comparison')}: {comparison_text}",
    }
    if nbrs:
        zone_labels["neighbours"] = t("actions.effect.neighbours")
    short = {
        "target": t("actions.effect.target"),
        "comparison": t("actions.effect.comparison"),
        "neighbours": t("actions.effect.neighbours"),
    }
    index = effect.smooth(effect.weekly_index(weekly, win, {z: short[z] for z in zone_labels}))
    if not index.empty and win.weeks_after > 0:
        st.markdown(f"**{t('actions.effect.chart_title')}**")
        colours = dict(
            zip([short[z] for z in zone_labels], ["#c0392b", "#2471a3", "#7d8c2a"], strict=False)
        )
        st.vega_lite_chart(
            render.chart_spec(
                effect.effect_chart,
                index,
                week_title=t("actions.effect.chart_week"),
                index_title=t("actions.effect.chart_index"),
                series_title=t("actions.effect.chart_series"),
                colours=colours,
            ),
            width="stretch",
        )
    table = pd.DataFrame(
        {
            "zone": list(zone_labels.values()),
            "before": [result.target_before, result.comparison_before, result.neighbours_before][
                : len(zone_labels)
            ],
            "after": [result.target_after, result.comparison_after, result.neighbours_after][
                : len(zone_labels)
            ],
        }
    )
    st.markdown(f"**{t('actions.effect.counts_table')}**")
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        key="effect_counts",
        column_config={
            "zone": t("actions.effect.zone"),
            "before": t("actions.effect.before"),
            "after": t("actions.effect.after"),
        },
    )

    st.markdown(f"**{t('actions.effect.displacement')}**")
    names = ", ".join(md(areas.get(n, n)) for n in nbrs)
    disp = result.displacement
    if result.displacement_verdict == "none":
        st.caption(t("actions.effect.displacement_none"))
    elif result.displacement_verdict == "too_small":
        st.caption(t("actions.effect.displacement_small", names=names))
    elif result.displacement_verdict == "rise":
        st.warning(
            t(
                "actions.effect.displacement_yes",
                names=names,
                ratio=_fmt(disp.ratio),
                low=_fmt(disp.low),
                high=_fmt(disp.high),
            )
        )
    else:
        st.caption(
            t(
                "actions.effect.displacement_no",
                names=names,
                ratio=_fmt(disp.ratio),
                low=_fmt(disp.low),
                high=_fmt(disp.high),
            )
        )
    return result
