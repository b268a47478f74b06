"""Actions: create, update, follow up and close them, with an audit log and a version check.

Every change is one transaction (``db.transaction``) that writes the action and its
``action_log`` rows together and bumps ``data_version``: a process that dies mid-save leaves
nothing half-written. Each write carries the ``version`` it read; when someone else saved in
between, the write is refused with ``ActionConflict`` (which holds the current values) rather
than silently overwriting their change.

Errors carry a stable ``code`` and ``params`` so the UI can say them in the user's language;
``str(error)`` is an English message for logs and the command line.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from dataclasses import dataclass

import duckdb

from safetycore import clock, contacts, db, privacy, queries
from safetycore.access import Actor, require

STATUSES = ("open", "in_progress", "done", "cancelled")
OPEN_STATUSES = ("open", "in_progress")
CLOSED_STATUSES = ("done", "cancelled")
PRIORITIES = ("high", "normal", "low")
ORIGINS = ("situation_meeting", "area_group", "safety_walk", "employee_report")

TITLE_MAX = 200
TEXT_MAX = 4000
NAME_MAX = 120
DEFAULT_RADIUS_M = 300
ASSIGNEE_MASKS = ("pnr", "phone", "email")  # what is masked in the assignee (not the name)

# Fields a user can change after creation, in the order the history shows them.
EDITABLE = (
    "title",
    "description",
    "area_group_id",
    "area_id",
    "target_categories",
    "owner_org",
    "assignee",
    "status",
    "priority",
    "origin",
    "start_date",
    "due_date",
    "outcome",
    "lat",
    "lon",
    "radius_m",
    "cost_sek",
)
COLUMNS = ("id", *EDITABLE, "created_at", "created_by", "done_at", "version")

# Markup that a browser would act on: refused with a message, never stored to be rendered.
_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>|javascript\s*:|&#?[a-zA-Z0-9]+;", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: the field, a stable code, and values for the message."""

    field: str
    code: str
    params: dict = dataclasses.field(default_factory=dict)  # 'field' is the attribute above

    def message(self) -> str:
        return ENGLISH.get(self.code, self.code).format(field=self.field, **self.params)


ENGLISH = {
    "title_missing": "Give the action a title.",
    "too_long": "{field} has {length} characters; at most {max} are allowed. Shorten it.",
    "markup": "{field} contains HTML or script ({found}); write plain text.",
    "control": "{field} contains control characters; write plain text.",
    "unknown_group": "Unknown area group {value!r}; pick one from the list.",
    "unknown_area": "Unknown area {value!r}; pick one from the list.",
    "area_not_in_group": "The area {value!r} does not belong to the area group {group!r}.",
    "unknown_category": "Unknown categories: {value}.",
    "unknown_org": "Unknown owner organisation {value!r}; pick one from the list.",
    "owner_missing": "Say which organisation owns the action.",
    "bad_choice": "{field} must be one of {allowed}, not {value!r}.",
    "due_before_created": "The due date {due} is before the action was created ({created}).",
    "start_missing": "Give the date the action starts.",
    "bad_point": "Give both latitude and longitude, inside the map, or neither.",
    "bad_radius": "The radius must be between 10 and 20,000 metres.",
    "bad_cost": "The cost must be a number of kronor, zero or more.",
    "note_missing": "Write the follow-up note.",
    "outcome_missing": "Say what came of the action before closing it.",
    "not_closing": "Close an action as done or cancelled.",
    "already_closed": "The action is already closed.",
}


class ActionError(ValueError):
    """Base of the errors a user can fix; ``code`` and ``params`` say what in any language."""

    code = "error"

    def __init__(self, message: str, **params):
        super().__init__(message)
        self.params = params


class InvalidAction(ActionError):
    """The input breaks one or more rules; ``problems`` lists every one of them."""

    code = "invalid"

    def __init__(self, problems: list[Problem]):
        super().__init__(" ".join(p.message() for p in problems))
        self.problems = problems


class ActionNotFound(ActionError):
    code = "not_found"


class ActionConflict(ActionError):
    """Someone saved the action after it was read; ``current`` holds the values now stored."""

    code = "conflict"

    def __init__(self, action_id: int, expected: int, current: dict):
        super().__init__(
            f"Action {action_id} was changed by {current.get('last_changed_by') or 'someone'} "
            f"after you opened it (your version {expected}, now {current.get('version')}). "
            "Nothing was saved; look at the current values and make your change again.",
            action_id=action_id,
            expected=expected,
        )
        self.action_id = action_id
        self.expected = expected
        self.current = current


@dataclass(frozen=True)
class ActionDraft:
    """What the create form collects. ``start_date`` defaults to the creation day."""

    title: str
    area_group_id: str
    owner_org: str
    description: str = ""
    area_id: str | None = None
    target_categories: tuple[str, ...] = ()
    assignee: str = ""
    priority: str = "normal"
    origin: str = "situation_meeting"
    start_date: dt.date | None = None
    due_date: dt.date | None = None
    lat: float | None = None
    lon: float | None = None
    radius_m: int | None = None
    cost_sek: float | None = None
    status: str = "open"


# ---------------------------------------------------------------------------------------------
# Validation


def _text_problems(name: str, value, limit: int, *, required: bool = False) -> list[Problem]:
    if value is None:
        value = ""
    if not isinstance(value, str):
        return [Problem(name, "bad_choice", {"allowed": "text", "value": value})]
    problems = []
    if required and not value.strip():
        problems.append(Problem(name, "title_missing" if name == "title" else "owner_missing"))
    if len(value) > limit:
        problems.append(Problem(name, "too_long", {"length": len(value), "max": limit}))
    found = _MARKUP.search(value)
    if found:
        problems.append(Problem(name, "markup", {"found": found.group(0)[:40]}))
    if _CONTROL.search(value):
        problems.append(Problem(name, "control"))
    return problems


def _reference(cur) -> dict:
    groups = {r[0] for r in queries.execute(cur, "actions_group_ids").fetchall()}
    areas = dict(queries.execute(cur, "actions_area_ids").fetchall())
    cats = {r[0] for r in queries.execute(cur, "actions_category_codes").fetchall()}
    orgs = {r[0] for r in queries.execute(cur, "actions_source_codes").fetchall()}
    return {"groups": groups, "areas": areas, "categories": cats, "orgs": orgs}


def owner_orgs(con) -> list[str]:
    """The organisations that can own an action (the reporting organisations)."""
    cur = con.cursor()
    try:
        return [r[0] for r in queries.execute(cur, "actions_sources_ordered").fetchall()]
    finally:
        cur.close()


def validate(values: dict, ref: dict, *, created_on: dt.date) -> list[Problem]:
    """Every problem with a full set of action values (as stored), not just the first."""
    problems: list[Problem] = []
    problems += _text_problems("title", values.get("title"), TITLE_MAX, required=True)
    problems += _text_problems("description", values.get("description"), TEXT_MAX)
    problems += _text_problems("outcome", values.get("outcome"), TEXT_MAX)
    problems += _text_problems("assignee", values.get("assignee"), NAME_MAX)

    owner = values.get("owner_org") or ""
    if not owner.strip():
        problems.append(Problem("owner_org", "owner_missing"))
    elif owner not in ref["orgs"]:
        problems.append(Problem("owner_org", "unknown_org", {"value": owner}))

    group = values.get("area_group_id")
    if group not in ref["groups"]:
        problems.append(Problem("area_group_id", "unknown_group", {"value": group}))
    area = values.get("area_id")
    if area is not None:
        if area not in ref["areas"]:
            problems.append(Problem("area_id", "unknown_area", {"value": area}))
        elif group in ref["groups"] and ref["areas"][area] != group:
            problems.append(
                Problem("area_id", "area_not_in_group", {"value": area, "group": group})
            )

    unknown = [c for c in values.get("target_categories") or () if c not in ref["categories"]]
    if unknown:
        problems.append(
            Problem(
                "target_categories", "unknown_category", {"value": ", ".join(map(str, unknown))}
            )
        )

    for name, allowed in (("status", STATUSES), ("priority", PRIORITIES), ("origin", ORIGINS)):
        if values.get(name) not in allowed:
            problems.append(
                Problem(
                    name, "bad_choice", {"allowed": ", ".join(allowed), "value": values.get(name)}
                )
            )

    if values.get("start_date") is None:
        problems.append(Problem("start_date", "start_missing"))
    due = values.get("due_date")
    if due is not None and due < created_on:
        problems.append(
            Problem(
                "due_date",
                "due_before_created",
                {"due": due.isoformat(), "created": created_on.isoformat()},
            )
        )

    lat, lon = values.get("lat"), values.get("lon")
    if (lat is None) != (lon is None) or (
        lat is not None and lon is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180)
    ):
        problems.append(Problem("lat", "bad_point"))
    radius = values.get("radius_m")
    if radius is not None and not 10 <= radius <= 20000:
        problems.append(Problem("radius_m", "bad_radius"))
    cost = values.get("cost_sek")
    if cost is not None and (not isinstance(cost, int | float) or math.isnan(cost) or cost < 0):
        problems.append(Problem("cost_sek", "bad_cost"))
    return problems


def _known_addresses(con, assignee) -> frozenset[str]:
    """The users' and contacts' addresses, looked up only for an assignee written as one."""
    if not isinstance(assignee, str) or "@" not in assignee:
        return frozenset()
    return frozenset(email.lower() for email in contacts.known_addresses(con))


def _normalise(values: dict, known: frozenset[str] = frozenset()) -> dict:
    """Values as stored: trimmed, personal data masked; ``known`` holds the e-mail addresses
    of users and contacts, which an assignee may be (the task's notice goes there)."""
    out = dict(values)
    for name in ("title", "assignee"):
        if isinstance(out.get(name), str):
            out[name] = out[name].strip()
    for name in ("description", "outcome"):
        if isinstance(out.get(name), str):
            out[name] = out[name].strip()
        elif out.get(name) is None:
            out[name] = ""
    # Personal data masked on the way in (safetycore/privacy.py); the assignee names a person
    # by design and keeps the name, not numbers or addresses.
    for name in ("title", "description", "outcome"):
        if isinstance(out.get(name), str):
            out[name] = privacy.mask(out[name]) or out[name]
    assignee = out.get("assignee")
    if isinstance(assignee, str) and assignee.lower() not in known:
        out["assignee"] = privacy.mask(assignee, ASSIGNEE_MASKS) or assignee
    if out.get("area_id") == "":
        out["area_id"] = None
    out["target_categories"] = list(dict.fromkeys(out.get("target_categories") or ()))
    if out.get("lat") is not None and out.get("radius_m") is None:
        out["radius_m"] = DEFAULT_RADIUS_M
    if out.get("lat") is None:
        out["radius_m"] = None
    if out.get("cost_sek") is not None and isinstance(out["cost_sek"], int | float):
        out["cost_sek"] = float(out["cost_sek"])
    return out


# ---------------------------------------------------------------------------------------------
# Reading


def _row(cur, action_id: int) -> dict | None:
    # actions_row.sql reads the columns of COLUMNS, in that order (zip's strict checks it).
    row = queries.execute(cur, "actions_row", id=action_id).fetchone()
    if row is None:
        return None
    out = dict(zip(COLUMNS, row, strict=True))
    out["target_categories"] = list(out["target_categories"] or [])
    last = queries.execute(cur, "actions_last_change", id=action_id).fetchone()
    out["last_changed_by"], out["last_changed_at"] = last if last else (None, None)
    return out


def get_action(con, action_id: int) -> dict:
    """The stored values of one action (plus who changed it last); ActionNotFound if none."""
    cur = con.cursor()
    try:
        row = _row(cur, action_id)
    finally:
        cur.close()
    if row is None:
        raise ActionNotFound(f"There is no action {action_id}.", action_id=action_id)
    return row


# ---------------------------------------------------------------------------------------------
# Writing


def _log_value(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _log(cur, action_id: int, at: dt.datetime, actor: Actor, name: str, old, new) -> None:
    queries.execute(
        cur,
        "actions_log_insert",
        id=action_id,
        at=at,
        by=actor.identity.strip(),
        field=name,
        old=_log_value(old),
        new=_log_value(new),
    )


def _now(now: dt.datetime | None, con=None) -> dt.datetime:
    return (now or clock.now_for(con)).replace(microsecond=0)


def create_action(
    con,
    actor: Actor,
    draft: ActionDraft,
    *,
    now: dt.datetime | None = None,
    event: tuple[int, dt.datetime] | None = None,
) -> int:
    """Store a new action and its 'created' log row in one transaction; returns its id.

    ``event`` (event id, deadline) makes it a task of a händelse (safetycore/events.py)."""
    require(actor, "edit_actions")
    now = _now(now, con)
    values = _normalise(
        {name: getattr(draft, name) for name in EDITABLE if hasattr(draft, name)},
        _known_addresses(con, getattr(draft, "assignee", None)),
    )
    values["outcome"] = ""
    values.setdefault("start_date", None)
    if values["start_date"] is None:
        values["start_date"] = now.date()
    try:
        with db.transaction(con) as cur:
            problems = validate(values, _reference(cur), created_on=now.date())
            if problems:
                raise InvalidAction(problems)
            action_id = db.scalar(
                queries.execute(
                    cur,
                    "actions_insert",
                    **{
                        **values,
                        "created_at": now,
                        "created_by": actor.identity.strip(),
                        "done_at": now if values["status"] == "done" else None,
                    },
                )
            )
            _log(cur, action_id, now, actor, "created", None, values["title"])
            if event is not None:  # a händelse's task, with its deadline in hours
                queries.execute(cur, "actions_link_event", e=event[0], at=event[1], id=action_id)
    except duckdb.ConstraintException as exc:  # a rule the validation missed: still refused
        raise InvalidAction(
            [Problem("action", "bad_choice", {"allowed": "valid values", "value": str(exc)})]
        ) from exc
    return int(action_id)


def update_action(
    con,
    actor: Actor,
    action_id: int,
    version: int,
    changes: dict,
    *,
    note: str = "",
    now: dt.datetime | None = None,
) -> int:
    """Apply ``changes`` (field -> new value) read at ``version``; returns the new version.

    One transaction writes the changed fields, one log row per changed field (and one for the
    note, if any) and the next version. A stale ``version`` raises ActionConflict with the
    current values; nothing is written. Changes equal to the stored values are ignored.
    """
    require(actor, "edit_actions")
    now = _now(now, con)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise InvalidAction(
            [
                Problem(name, "bad_choice", {"allowed": ", ".join(EDITABLE), "value": name})
                for name in unknown
            ]
        )
    problems = _text_problems("note", note, TEXT_MAX)
    if problems:
        raise InvalidAction(problems)
    note = privacy.mask((note or "").strip()) or ""
    try:
        with db.transaction(con) as cur:
            current = _row(cur, action_id)
            if current is None:
                raise ActionNotFound(f"There is no action {action_id}.", action_id=action_id)
            if current["version"] != version:
                raise ActionConflict(action_id, version, current)
            merged = _normalise(
                {**{k: current[k] for k in EDITABLE}, **changes},
                _known_addresses(cur, changes.get("assignee") or current["assignee"]),
            )
            created_on = current["created_at"].date()
            problems = validate(merged, _reference(cur), created_on=created_on)
            if (
                merged["status"] in CLOSED_STATUSES
                and current["status"] not in CLOSED_STATUSES
                and "outcome" in changes
                and not merged["outcome"]
            ):
                problems.append(Problem("outcome", "outcome_missing"))
            if problems:
                raise InvalidAction(problems)
            changed = [k for k in EDITABLE if _differs(current[k], merged[k])]
            if not changed and not note:
                return version
            done_at = current["done_at"]
            if "status" in changed:
                done_at = now if merged["status"] in CLOSED_STATUSES else None
            assignments = ", ".join(f"{k} = ${k}" for k in changed)
            sql = (
                "UPDATE actions SET "  # noqa: S608 (column names from EDITABLE, values bound)
                + (assignments + ", " if assignments else "")
                + "done_at = $done_at, version = version + 1 "
                "WHERE id = $id AND version = $version"
            )
            params = {k: merged[k] for k in changed}
            params.update({"done_at": done_at, "id": action_id, "version": version})
            # Inline on purpose: the SET list names only the changed columns (names from
            # EDITABLE, values bound); setting every column would rewrite the stored lists.
            # No RETURNING here: DuckDB 2.0 skips its write-write conflict check for
            # UPDATE ... RETURNING, which would let two sessions both "win" (a lost update).
            updated = db.scalar(cur.execute(sql, params))
            if updated != 1:  # changed between our read and our write
                raise ActionConflict(action_id, version, _row(cur, action_id) or current)
            for name in changed:
                _log(cur, action_id, now, actor, name, current[name], merged[name])
            if note:
                _log(cur, action_id, now, actor, "note", None, note)
            new_version = version + 1
    except duckdb.TransactionException as exc:
        # Another session committed a change to the same row while this one was writing.
        raise ActionConflict(action_id, version, get_action(con, action_id)) from exc
    except duckdb.ConstraintException as exc:
        raise InvalidAction(
            [Problem("action", "bad_choice", {"allowed": "valid values", "value": str(exc)})]
        ) from exc
    return new_version


def _differs(old, new) -> bool:
    if isinstance(old, list | tuple) or isinstance(new, list | tuple):
        return list(old or []) != list(new or [])
    if isinstance(old, float) and isinstance(new, int | float):
        return not math.isclose(old, float(new))
    return old != new


def add_note(
    con, actor: Actor, action_id: int, version: int, note: str, *, now: dt.datetime | None = None
) -> int:
    """A follow-up note ("checked at the meeting: lamps ordered"); returns the new version."""
    if not (note or "").strip():
        raise InvalidAction([Problem("note", "note_missing")])
    return update_action(con, actor, action_id, version, {}, note=note, now=now)


def set_status(
    con,
    actor: Actor,
    action_id: int,
    version: int,
    status: str,
    *,
    note: str = "",
    now: dt.datetime | None = None,
) -> int:
    return update_action(con, actor, action_id, version, {"status": status}, note=note, now=now)


def reassign(
    con,
    actor: Actor,
    action_id: int,
    version: int,
    *,
    owner_org: str | None = None,
    assignee: str | None = None,
    now: dt.datetime | None = None,
) -> int:
    changes = {}
    if owner_org is not None:
        changes["owner_org"] = owner_org
    if assignee is not None:
        changes["assignee"] = assignee
    return update_action(con, actor, action_id, version, changes, now=now)


def close_action(
    con,
    actor: Actor,
    action_id: int,
    version: int,
    outcome: str,
    *,
    status: str = "done",
    now: dt.datetime | None = None,
) -> int:
    """Close as done (or cancelled) with an outcome saying what came of it."""
    if status not in CLOSED_STATUSES:
        raise InvalidAction([Problem("status", "not_closing")])
    if not (outcome or "").strip():
        raise InvalidAction([Problem("outcome", "outcome_missing")])
    return update_action(
        con, actor, action_id, version, {"status": status, "outcome": outcome}, now=now
    )


# ---------------------------------------------------------------------------------------------
# Picking a point on a small map


def pick_cells(boundary_geojson: str, max_cells: int = 800):
    """H3 cells covering an area, fine enough to pick a place, at most ``max_cells`` of them.

    Returns a DataFrame with cell (hex string), lat, lon (the cell centre) and n (1), ready for
    ``maps.hex_layer``; clicking a cell picks its centre as the action's point.
    """
    import json

    import h3
    import pandas as pd
    import shapely

    shape = shapely.geometry.shape(json.loads(boundary_geojson))
    cells: list[str] = []
    for res in (10, 9, 8, 7, 6):
        cells = h3.geo_to_cells(shapely.geometry.mapping(shape), res)
        if len(cells) <= max_cells:
            break
    cells = sorted(cells)[:max_cells]
    centres = [h3.cell_to_latlng(c) for c in cells]
    return pd.DataFrame(
        {
            "cell": cells,
            "lat": [round(c[0], 6) for c in centres],
            "lon": [round(c[1], 6) for c in centres],
            "n": 1,
        }
    )
