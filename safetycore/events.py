"""Händelser: quick coordination after a serious event.

The evening something serious happens (an attempted murder at the bus square), a coordinator
opens a händelse: a short neutral title, the place, the time and the organisations taking part.
Tasks are delegated with owners and deadlines in hours; they are ordinary actions carrying the
event's id (``actions.event_id``, deadline ``actions.due_at``), so they show on Åtgärder and in
the effect evaluation. Notes go to the event's log; organisations are invited and released when
their part is done; the event is closed with an outcome.

Every text is checked like an action's (no markup, no control characters, a length limit) and
scrubbed of personal identity numbers, phone numbers and names (``safetycore.privacy``) before
it is stored. Every change is one transaction with its row in ``event_log``.

Everyone taking part hears by e-mail what is theirs (``send_notices``, run by the dashboard's
scheduler after the change has committed): an organisation when it is invited, given a task,
released, and when the event is closed; the assignee's address (a contact or a user with a
role) through the ordinary assignment notice (safetycore/notify.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from safetycore import actions, clock, contacts, db, mail, notify, privacy, queries, texts
from safetycore.access import Actor, require

TITLE_MAX = 120
PLACE_MAX = 120
TEXT_MAX = 2000
MAX_HOURS = 7 * 24
NOTICE_WINDOW = dt.timedelta(days=7)  # log rows older than this are not announced any more

ENGLISH = {
    "title_missing": "Give the event a short neutral title.",
    "place_missing": "Say where it happened.",
    "text_missing": "Write the note.",
    "outcome_missing": "Say what came of it before closing the event.",
    "too_long": "{field} has {length} characters; at most {max} are allowed.",
    "markup": "{field} contains HTML or script; write plain text.",
    "control": "{field} contains control characters; write plain text.",
    "unknown_group": "There is no area group {value!r}.",
    "unknown_org": "There is no organisation {value!r}.",
    "no_orgs": "Invite at least one organisation.",
    "future": "The time {value} is in the future.",
    "bad_hours": "Give the deadline in hours, from 1 to {max}.",
    "not_found": "There is no event {value}.",
    "closed": "The event is closed; open a new one.",
    "already_taking_part": "{value} already takes part.",
    "not_taking_part": "{value} does not take part.",
    "task": "{value}",
}


class EventError(ValueError):
    """Input a user can fix; ``code`` and ``params`` say what in any language."""

    def __init__(self, code: str, **params):
        super().__init__(ENGLISH.get(code, code).format(**params))
        self.code = code
        self.params = params


def _clean(name: str, value: str | None, limit: int, missing: str) -> str:
    text = " ".join((value or "").split()) if name in ("title", "place") else (value or "").strip()
    if not text:
        raise EventError(missing)
    for problem in actions._text_problems(name, text, limit):
        params = {"field": name, **problem.params}
        raise EventError(problem.code if problem.code in ENGLISH else "markup", **params)
    return privacy.mask(text) or ""


def _now(con, now: dt.datetime | None) -> dt.datetime:
    return (now or clock.now_for(con)).replace(tzinfo=None, microsecond=0)


def _log(
    cur,
    event_id: int,
    at,
    actor: Actor,
    entry: str,
    *,
    organisation: str = "",
    action_id: int | None = None,
    text: str = "",
) -> None:
    queries.execute(
        cur,
        "events_log_insert",
        e=event_id,
        at=at,
        by=actor.identity.strip(),
        entry=entry,
        org=organisation,
        action=action_id,
        text=text,
    )


def _orgs(cur) -> set[str]:
    return {r[0] for r in queries.execute(cur, "events_source_codes").fetchall()}


def _open_event(cur, event_id: int) -> tuple:
    row = queries.execute(cur, "events_one", id=event_id).fetchone()
    if row is None:
        raise EventError("not_found", value=event_id)
    if row[1] != "open":
        raise EventError("closed")
    return row


def _taking_part(cur, event_id: int) -> set[str]:
    return {r[0] for r in queries.execute(cur, "events_invited_orgs", e=event_id).fetchall()}


def _invite(cur, event_id: int, org: str, at, actor: Actor) -> None:
    queries.execute(cur, "events_invite_org", e=event_id, o=org, at=at)
    _log(cur, event_id, at, actor, "invited", organisation=org)


# --- Writing -----------------------------------------------------------------------------------


def open_event(
    con,
    actor: Actor,
    *,
    title: str,
    place: str,
    area_group_id: str,
    occurred_at: dt.datetime,
    organisations: list[str] | tuple[str, ...],
    now: dt.datetime | None = None,
) -> int:
    """Open a händelse and invite the organisations taking part; returns its id."""
    require(actor, "edit_actions")
    now = _now(con, now)
    title = _clean("title", title, TITLE_MAX, "title_missing")
    place = _clean("place", place, PLACE_MAX, "place_missing")
    occurred_at = pd.Timestamp(occurred_at).to_pydatetime().replace(tzinfo=None, microsecond=0)
    if occurred_at > now + dt.timedelta(hours=1):
        raise EventError("future", value=occurred_at.isoformat(sep=" ", timespec="minutes"))
    orgs = list(dict.fromkeys(organisations or ()))
    if not orgs:
        raise EventError("no_orgs")
    with db.transaction(con) as cur:
        groups = {r[0] for r in queries.execute(cur, "events_group_ids").fetchall()}
        if area_group_id not in groups:
            raise EventError("unknown_group", value=area_group_id)
        unknown = [o for o in orgs if o not in _orgs(cur)]
        if unknown:
            raise EventError("unknown_org", value=", ".join(unknown))
        event_id = db.scalar(
            queries.execute(
                cur,
                "events_insert",
                t=title,
                p=place,
                g=area_group_id,
                at=occurred_at,
                by=actor.identity.strip(),
                now=now,
            )
        )
        _log(cur, event_id, now, actor, "opened", text=title)
        for org in orgs:
            _invite(cur, event_id, org, now, actor)
    return int(event_id)


def invite(
    con, actor: Actor, event_id: int, organisation: str, *, now: dt.datetime | None = None
) -> None:
    require(actor, "edit_actions")
    now = _now(con, now)
    with db.transaction(con) as cur:
        _open_event(cur, event_id)
        if organisation not in _orgs(cur):
            raise EventError("unknown_org", value=organisation)
        if organisation in _taking_part(cur, event_id):
            raise EventError("already_taking_part", value=organisation)
        _invite(cur, event_id, organisation, now, actor)


def release(
    con, actor: Actor, event_id: int, organisation: str, *, now: dt.datetime | None = None
) -> None:
    """Let an organisation go: its part is done (its tasks stay what they are)."""
    require(actor, "edit_actions")
    now = _now(con, now)
    with db.transaction(con) as cur:
        _open_event(cur, event_id)
        if organisation not in _taking_part(cur, event_id):
            raise EventError("not_taking_part", value=organisation)
        queries.execute(cur, "events_release_org", at=now, e=event_id, o=organisation)
        _log(cur, event_id, now, actor, "released", organisation=organisation)


def add_note(
    con, actor: Actor, event_id: int, text: str, *, now: dt.datetime | None = None
) -> None:
    require(actor, "edit_actions")
    now = _now(con, now)
    text = _clean("note", text, TEXT_MAX, "text_missing")
    with db.transaction(con) as cur:
        _open_event(cur, event_id)
        _log(cur, event_id, now, actor, "note", text=text)


def delegate_task(
    con,
    actor: Actor,
    event_id: int,
    *,
    title: str,
    owner_org: str,
    hours: int,
    assignee: str = "",
    area_id: str | None = None,
    now: dt.datetime | None = None,
) -> int:
    """A task for the event: an ordinary action with a deadline ``hours`` from now, owned by
    ``owner_org`` (invited if it does not take part yet); returns the action's id."""
    require(actor, "edit_actions")
    now = _now(con, now)
    try:
        hours = int(hours)
    except (TypeError, ValueError):
        hours = 0
    if not 1 <= hours <= MAX_HOURS:
        raise EventError("bad_hours", max=MAX_HOURS)
    cur = con.cursor()
    try:
        _, _, group, _ = _open_event(cur, event_id)
        taking_part = _taking_part(cur, event_id)
        known_orgs = _orgs(cur)
    finally:
        cur.close()
    if owner_org not in known_orgs:
        raise EventError("unknown_org", value=owner_org)
    due_at = now + dt.timedelta(hours=hours)
    draft = actions.ActionDraft(
        title=privacy.mask(" ".join((title or "").split())) or "",
        area_group_id=group,
        owner_org=owner_org,
        assignee=(assignee or "").strip(),
        area_id=area_id or None,
        priority="high",
        origin="area_group",
        start_date=now.date(),
        due_date=due_at.date(),
    )
    try:
        action_id = actions.create_action(con, actor, draft, now=now, event=(event_id, due_at))
    except actions.InvalidAction as exc:
        raise EventError("task", value=str(exc)) from exc
    with db.transaction(con) as cur:
        if owner_org not in taking_part:
            _invite(cur, event_id, owner_org, now, actor)
        _log(
            cur,
            event_id,
            now,
            actor,
            "task",
            organisation=owner_org,
            action_id=action_id,
            text=draft.title,
        )
    return action_id


def close_event(
    con, actor: Actor, event_id: int, outcome: str, *, now: dt.datetime | None = None
) -> None:
    """Close the event with what came of it; its open tasks stay open on Åtgärder."""
    require(actor, "edit_actions")
    now = _now(con, now)
    outcome = _clean("outcome", outcome, TEXT_MAX, "outcome_missing")
    with db.transaction(con) as cur:
        _open_event(cur, event_id)
        queries.execute(cur, "events_close", at=now, o=outcome, id=event_id)
        _log(cur, event_id, now, actor, "closed", text=outcome)


# --- Reading -----------------------------------------------------------------------------------


@dataclass
class EventView:
    event: dict
    organisations: pd.DataFrame  # organisation, invited_at, released_at
    tasks: pd.DataFrame  # see events_tasks.sql
    log: pd.DataFrame  # logged_at, logged_by, entry, organisation, action_id, text


def event_view(run, event_id: int, now: dt.datetime) -> EventView:
    """One event with its organisations, tasks and log; ``run(name, **params)`` runs a query
    (the page passes its cached one)."""
    found = run("handelse_one", event_id=event_id)
    if found.empty:
        raise EventError("not_found", value=event_id)
    return EventView(
        event=found.iloc[0].to_dict(),
        organisations=run("handelse_orgs", event_id=event_id),
        tasks=run("handelse_tasks", event_id=event_id, now=now),
        log=run("handelse_log", event_id=event_id),
    )


# --- Notices by e-mail ---------------------------------------------------------------------------


def notice_mails(con, *, now: dt.datetime | None = None) -> notify.Outgoing:
    """The notices not sent yet for the events' log rows of the last week."""
    now = _now(con, now)
    out = notify.Outgoing()
    rows = queries.run(con, "handelse_notices", since=now - NOTICE_WINDOW)
    if rows.empty:
        return out
    cur = con.cursor()
    try:
        sent = {(k, e) for k, e in queries.execute(cur, "events_notices_sent").fetchall()}
        parts = queries.execute(cur, "events_orgs").fetchall()
    finally:
        cur.close()
    by_event: dict[int, list[str]] = {}
    for event_id, org in parts:
        by_event.setdefault(int(event_id), []).append(org)
    addresses: dict[str, list[tuple[str, str]]] = {}

    def of(org: str) -> list[tuple[str, str]]:
        if org not in addresses:
            addresses[org] = contacts.addresses_for_org(con, org)
        return addresses[org]

    for r in rows.itertuples(index=False):
        key = f"log:{r.id}"
        if r.entry == "closed":
            orgs = sorted(by_event.get(int(r.event_id), []))
        else:
            orgs = [r.organisation] if r.organisation else []
        seen: set[str] = set()
        for org in orgs:
            for email, lang in of(org):
                if email in seen or (key, email) in sent:
                    continue
                seen.add(email)
                out.add("event", key, _notice(r, org, email, lang))
    return out


def _notice(r, org: str, email: str, lang: str) -> mail.Mail:
    from safetycore.taxonomy import source_label

    t = texts.translator(lang)
    values = {
        "title": r.title,
        "place": r.place,
        "org": source_label(org, lang),
        "when": pd.Timestamp(r.occurred_at).strftime("%Y-%m-%d %H:%M"),
        "task": r.text,
        "due": (pd.Timestamp(r.due_at).strftime("%Y-%m-%d %H:%M") if pd.notna(r.due_at) else "–"),
        "outcome": r.text,
    }
    subject = t(f"events.mail.{r.entry}_subject", **values)
    lines = [t(f"events.mail.{r.entry}_line", **values), t("events.mail.where", **values)]
    if r.entry in ("invited", "task"):
        lines.append(t("events.mail.page"))
    return notify._notice(email, lang, subject, lines)


def send_notices(
    con, *, now: dt.datetime | None = None, settings: mail.SmtpSettings | None = None
) -> notify.Outgoing:
    """Send what the events' log says everyone taking part should hear (once each)."""
    out = notice_mails(con, now=now)
    if out.items and settings is None:
        settings = mail.SmtpSettings.from_env()
    return out.send(con, settings)
