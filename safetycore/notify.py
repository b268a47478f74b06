"""E-mail to the people who own the work: the weekly digest, and reminders.

The weekly digest (``python -m safetycore notify --week 2026-W47``) sends every contact address
one message for the week:

* for an organisation: its open tasks, overdue first with the days late, then those due within
  the week after the digest's day;
* for an area group: its figures against the expected range, its flags and new hotspots (all
  from ``safetycore.situation``, with the shared screen's privacy rules), its open tasks and
  the meeting's rating;
* for a user's own address (a contact with neither): the open tasks assigned to that address.

Swedish unless the contact is set to English; no sensitive category (their events are not
counted, tasks aimed at one are left out), no free text but task titles, no names.
A digest sent for a week and address is recorded in ``notifications_sent`` and not sent again
(``force`` resends). The dashboard sends it on the schedule an admin sets (``run_scheduled``,
called by the scheduler in safetycore/jobs.py).

Reminders (``send_reminders``, run by the same scheduler): an owner organisation hears once
when its task becomes overdue; the assignee hears when a task is assigned to an address (a
contact or a user with a role), read from ``action_log`` after the write has committed, so a
save never waits for a mail server.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import time
from dataclasses import dataclass, field

import pandas as pd

from safetycore import clock, contacts, db, formats, mail, queries
from safetycore import situation as sit
from safetycore.analysis import ALPHA, poisson_cdf, poisson_sf
from safetycore.errors import UsageError
from safetycore.taxonomy import category_label, kind_label, source_label
from safetycore.texts import translator

MAX_TASKS = 25  # per list in one message; the rest are counted
MAX_STANDOUTS = 6


# --- Texts -------------------------------------------------------------------------------------


def number(value, lang: str, decimals: int = 0) -> str:
    return formats.number(value, decimals, lang)  # the one home of number formats


def date_text(value, lang: str) -> str:
    if value is None or pd.isna(value):
        return "–"
    day = pd.Timestamp(value)
    return day.strftime("%Y-%m-%d") if lang == "sv" else day.strftime("%d %b %Y")


# --- The expected range -------------------------------------------------------------------------


def expected_range(flag) -> tuple[int, int]:
    """The counts the flag's model calls usual: its own interval when it has one, else the
    Poisson counts that the flag's test (alpha ``ALPHA`` each side) would not flag."""
    lower, upper = getattr(flag, "lower", None), getattr(flag, "upper", None)
    if lower is not None and upper is not None:
        return int(math.floor(lower)), int(math.ceil(upper))
    mu = float(flag.expected)
    if not math.isfinite(mu) or mu <= 0:
        return 0, 0
    lo = max(0, int(mu - 10 * math.sqrt(mu) - 10))
    while lo < mu and poisson_cdf(lo, mu) < ALPHA:
        lo += 1
    hi = int(mu + 10 * math.sqrt(mu) + 10)
    while hi > mu and poisson_sf(hi, mu) < ALPHA:
        hi -= 1
    return lo, hi


# --- The message's content ----------------------------------------------------------------------


@dataclass
class Section:
    title: str
    lines: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    after: list[str] = field(default_factory=list)
    alert_rows: set[int] = field(default_factory=set)  # rows shown in red (overdue tasks)


@dataclass
class Digest:
    to: str
    language: str
    week: str
    subject: str
    sections: list[Section]
    organisations: tuple[str, ...]
    area_groups: tuple[str, ...]
    personal: bool
    counts: dict
    intro: str = ""
    footer: str = ""

    def mail(self) -> mail.Mail:
        return mail.Mail(
            to=self.to,
            subject=self.subject,
            text=render_text(self),
            html=render_html(self),
            language=self.language,
        )


def render_text(d: Digest) -> str:
    out = [d.subject, "", d.intro, ""]
    for s in d.sections:
        out += [s.title, "-" * len(s.title)]
        out += s.lines
        if s.rows:
            widths = [max(len(h), *(len(r[i]) for r in s.rows)) for i, h in enumerate(s.header)]
            out.append("  ".join(h.ljust(w) for h, w in zip(s.header, widths, strict=True)))
            out += [
                "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
                for r in s.rows
            ]
        out += s.after
        out.append("")
    out.append(d.footer)
    return "\n".join(out).rstrip() + "\n"


_CSS = {
    "body": "margin:0;padding:0;background:#f3f4f6;",
    "box": "max-width:640px;margin:0 auto;padding:20px 24px;background:#ffffff;"
    "font-family:Segoe UI,Helvetica,Arial,sans-serif;font-size:15px;line-height:1.45;"
    "color:#1f2933;",
    "h1": "font-size:20px;margin:0 0 6px 0;color:#0b3d62;",
    "h2": "font-size:17px;margin:22px 0 6px 0;padding-top:10px;border-top:2px solid #0b3d62;"
    "color:#0b3d62;",
    "p": "margin:4px 0;",
    "table": "border-collapse:collapse;width:100%;margin:6px 0;font-size:14px;",
    "th": "text-align:left;border-bottom:1px solid #9aa5b1;padding:4px 6px;color:#52606d;"
    "white-space:nowrap;",
    "td": "border-bottom:1px solid #e4e7eb;padding:4px 6px;vertical-align:top;",
    "foot": "margin-top:22px;font-size:12px;color:#7b8794;",
}


def render_html(d: Digest) -> str:
    esc = mail.html_text

    def para(text: str) -> str:
        style = _CSS["p"]
        if text.startswith("⚠"):
            style += "color:#b42318;font-weight:600;"
        elif text.endswith(":"):  # a list's heading (flags, hotspots)
            style += "margin-top:10px;font-weight:600;"
        return f'<p style="{style}">{esc(text)}</p>'

    def cell(i: int, j: int, text: str, s: Section) -> str:
        style = _CSS["td"]
        if j in (0, len(s.header) - 1):
            style += "white-space:nowrap;"
        if i in s.alert_rows and j == 0:
            style += "color:#b42318;font-weight:600;"
        return f'<td style="{style}">{esc(text)}</td>'

    parts = [f'<h1 style="{_CSS["h1"]}">{esc(d.subject)}</h1>', para(d.intro)]
    for s in d.sections:
        parts.append(f'<h2 style="{_CSS["h2"]}">{esc(s.title)}</h2>')
        parts += [para(line) for line in s.lines]
        if s.rows:
            head = "".join(f'<th style="{_CSS["th"]}">{esc(h)}</th>' for h in s.header)
            body = "".join(
                "<tr>" + "".join(cell(i, j, c, s) for j, c in enumerate(r)) + "</tr>"
                for i, r in enumerate(s.rows)
            )
            parts.append(
                f'<table style="{_CSS["table"]}"><thead><tr>{head}</tr></thead>'
                f"<tbody>{body}</tbody></table>"
            )
        parts += [para(line) for line in s.after]
    parts.append(f'<p style="{_CSS["foot"]}">{esc(d.footer)}</p>')
    return (
        f'<!DOCTYPE html><html lang="{esc(d.language)}"><head><meta charset="utf-8">'
        f"<title>{esc(d.subject)}</title></head>"
        f'<body style="{_CSS["body"]}"><div style="{_CSS["box"]}">{"".join(parts)}</div>'
        "</body></html>"
    )


# --- Building the week's digests ----------------------------------------------------------------


@dataclass
class _Week:
    """What every digest of one week is built from, read once."""

    week: sit.Week
    today: dt.date
    situation: sit.WeekSituation
    tasks: pd.DataFrame
    group_names: dict[str, str]
    group_order: list[str]
    area_names: dict[str, str]
    municipality: str
    demo: bool


def _read_week(con, week_label: str | None) -> _Week:
    cur = con.cursor()
    try:
        today = clock.reference_date(cur)
        municipality = db.meta_get(cur, "municipality") or ""
        demo = db.meta_get(cur, "demo") == "true"
    finally:
        cur.close()
    if not week_label:
        week_label = sit.default_week(today).label
    ws = sit.build_week(con, week_label, today=today, internal=False)  # shared-screen privacy
    groups = queries.run(con, "area_groups")
    areas = queries.run(con, "areas")
    tasks = queries.run(
        con, "notify_open_tasks", today=today, now=dt.datetime.combine(today, dt.time())
    )
    return _Week(
        week=ws.week,
        today=today,
        situation=ws,
        tasks=tasks,
        group_names=dict(zip(groups["id"], groups["name"], strict=True)),
        group_order=list(groups["id"]),
        area_names=dict(zip(areas["id"], areas["name"], strict=True)),
        municipality=municipality,
        demo=demo,
    )


def _default_week(con, week_label: str | None) -> str:
    if week_label:
        return sit.Week.parse(week_label).label
    cur = con.cursor()
    try:
        return sit.default_week(clock.reference_date(cur)).label
    finally:
        cur.close()


def _task_rows(
    tasks: pd.DataFrame, t, lang: str, *, show_owner: bool, show_group: bool
) -> tuple[list[str], list[list[str]]]:
    header = [t("notify.digest.task_state"), t("notify.digest.task_title")]
    if show_owner:
        header.append(t("notify.digest.task_owner"))
    if show_group:
        header.append(t("word.area_group"))
    header.append(t("notify.digest.task_due"))
    rows = []
    for r in tasks.head(MAX_TASKS).itertuples(index=False):
        if r.bucket == "overdue":
            state = t("notify.digest.overdue_days", days=int(r.days_late))
        else:
            state = t("notify.digest.due_soon")
        row = [state, r.title]
        if show_owner:
            row.append(source_label(r.owner_org, lang))
        if show_group:
            row.append(r.area_group)
        due = (
            pd.Timestamp(r.due_at).strftime("%Y-%m-%d %H:%M")
            if pd.notna(r.due_at)
            else date_text(r.due_date, lang)
        )
        row.append(due)
        rows.append(row)
    return header, rows


def _task_section(
    title: str, tasks: pd.DataFrame, t, lang: str, *, show_owner: bool, show_group: bool
) -> Section:
    soon = tasks[tasks["bucket"].isin(("overdue", "due"))]
    later = int((tasks["bucket"] == "later").sum())
    section = Section(title)
    n_over = int((soon["bucket"] == "overdue").sum())
    n_due = int((soon["bucket"] == "due").sum())
    section.lines.append(t("notify.digest.task_summary", overdue=n_over, due=n_due, later=later))
    if soon.empty:
        section.lines.append(t("notify.digest.no_tasks"))
    else:
        section.header, section.rows = _task_rows(
            soon, t, lang, show_owner=show_owner, show_group=show_group
        )
        section.alert_rows = {
            i for i, bucket in enumerate(soon["bucket"].head(MAX_TASKS)) if bucket == "overdue"
        }
        if len(soon) > MAX_TASKS:
            section.after.append(t("notify.digest.more_tasks", n=len(soon) - MAX_TASKS))
    return section


def _figure_word(fig: sit.Figure, t) -> str:
    if fig.direction == "up":
        return t("notify.digest.above")
    if fig.direction == "down":
        return t("notify.digest.below")
    return t("notify.digest.within")


def _group_section(w: _Week, group_id: str, t, lang: str) -> tuple[Section, dict]:
    g = w.situation.group(group_id)
    section = Section(t("notify.digest.group_title", group=g.name))
    rating = g.rating_for(w.week.label)
    section.lines.append(
        t("notify.digest.rating", rating=int(rating["rating"]))
        if rating
        else t("notify.digest.no_rating")
    )
    section.header = [
        t("notify.digest.figure"),
        t("notify.digest.this_week"),
        t("notify.digest.expected_range"),
        t("notify.digest.judgement"),
    ]
    for fig in g.headline:
        label = t("notify.digest.total") if fig.key == "total" else kind_label(fig.key, lang)
        lo, hi = expected_range(fig.flag)
        section.rows.append(
            [
                label,
                number(fig.week, lang),
                f"{number(lo, lang)}–{number(hi, lang)}",
                _figure_word(fig, t),
            ]
        )
    flags, hotspots = [], []
    for s in g.standouts:
        if s.kind == "hotspot":
            hotspots.append(
                t(
                    "notify.digest.hotspot",
                    area=w.area_names.get(s.area_id or "", g.name),
                    week=s.week,
                    usual=number(s.usual, lang, 1),
                )
            )
        else:
            label = (
                category_label(s.key, lang)
                if s.kind.startswith("category")
                else kind_label(s.key, lang)
            )
            word = "up" if s.kind.endswith("_up") else "down"
            text = t(
                f"notify.digest.flag_{word}",
                label=label,
                week=s.week,
                usual=number(s.usual, lang, 1),
            )
            flags.append(("⚠ " if word == "up" else "• ") + text)
    section.after.append(t("notify.digest.flags_title"))
    section.after += flags[:MAX_STANDOUTS] or [t("notify.digest.no_flags")]
    section.after.append(t("notify.digest.hotspots_title"))
    section.after += [f"• {h}" for h in hotspots[:MAX_STANDOUTS]] or [
        t("notify.digest.no_hotspots")
    ]
    counts = {
        "flags": len(flags),
        "hotspots": len(hotspots),
        "rating": int(rating["rating"]) if rating else None,
    }
    return section, counts


def build_digest(w: _Week, recipient: contacts.Recipient) -> Digest:
    lang = recipient.language
    t = translator(lang)
    sections: list[Section] = []
    counts: dict = {"tasks": 0, "overdue": 0, "groups": {}}
    tasks = w.tasks
    listed: list[pd.DataFrame] = []
    for org in recipient.organisations:
        mine = tasks[tasks["owner_org"] == org]
        sections.append(
            _task_section(
                t("notify.digest.org_title", org=source_label(org, lang)),
                mine,
                t,
                lang,
                show_owner=False,
                show_group=True,
            )
        )
        listed.append(mine)
    if recipient.personal:
        mine = tasks[tasks["assignee"] == recipient.email]
        sections.append(
            _task_section(
                t("notify.digest.personal_title"), mine, t, lang, show_owner=True, show_group=True
            )
        )
        listed.append(mine)
    for group in sorted(
        recipient.area_groups,
        key=lambda g: w.group_order.index(g) if g in w.group_order else len(w.group_order),
    ):
        if group not in w.group_names:
            continue
        section, group_counts = _group_section(w, group, t, lang)
        sections.append(section)
        mine = tasks[tasks["area_group_id"] == group]
        task_part = _task_section(
            t("notify.digest.group_tasks"), mine, t, lang, show_owner=True, show_group=False
        )
        sections.append(task_part)
        listed.append(mine)
        counts["groups"][group] = group_counts
    if listed:
        shown = pd.concat(listed).drop_duplicates("id")
        shown = shown[shown["bucket"].isin(("overdue", "due"))]
        counts["tasks"] = len(shown)
        counts["overdue"] = int((shown["bucket"] == "overdue").sum())
    year, number_ = w.week.monday.isocalendar()[:2]
    subject = t(
        "notify.digest.subject",
        week=number_,
        year=year,
        municipality=w.municipality or "Trygghetsläget",
    )
    intro = t(
        "notify.digest.intro",
        monday=date_text(w.week.monday, lang),
        sunday=date_text(w.week.sunday, lang),
        today=date_text(w.today, lang),
    )
    footer = t("notify.digest.footer")
    if w.demo:
        footer = t("notify.digest.demo") + " " + footer
    return Digest(
        to=recipient.email,
        language=lang,
        week=w.week.label,
        subject=subject,
        sections=sections,
        organisations=recipient.organisations,
        area_groups=tuple(g for g in recipient.area_groups if g in w.group_names),
        personal=recipient.personal,
        counts=counts,
        intro=intro,
        footer=footer,
    )


def build_digests(con, week_label: str | None = None) -> list[Digest]:
    recipients = contacts.recipients(con)
    if not recipients:  # nobody to write to: the week's situation is not needed
        return []
    w = _read_week(con, week_label)
    return [build_digest(w, r) for r in recipients]


# --- Sending and recording ----------------------------------------------------------------------


def _already_sent(con, kind: str, key: str) -> set[str]:
    cur = con.cursor()
    try:
        return {r[0] for r in queries.execute(cur, "notify_sent_to", k=kind, key=key).fetchall()}
    finally:
        cur.close()


def record_sent(con, kind: str, key: str, email: str, subject: str) -> None:
    """One sent message, recorded as soon as the server accepted it. One statement on its own
    cursor (atomic by itself), not a ``db.transaction``: this is the sender's bookkeeping, which
    no cached view shows, and a data transaction would rebuild the weekly rollup's fingerprint
    for every message (a second each at a million incidents)."""
    at = clock.now_for(con).replace(tzinfo=None)
    cur = con.cursor()
    try:
        queries.execute(cur, "notify_mark_sent", k=kind, key=key, e=email, at=at, s=subject[:300])
    finally:
        cur.close()


@dataclass
class DigestRun:
    week: str
    dry_run: bool
    seconds: float = 0.0
    sent: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)  # already sent for the week
    refused: list[dict] = field(default_factory=list)
    error: str = ""

    def as_dict(self) -> dict:
        return {
            "week": self.week,
            "dry_run": self.dry_run,
            "seconds": round(self.seconds, 3),
            "sent": self.sent,
            "skipped": self.skipped,
            "refused": self.refused,
            "error": self.error,
        }


def _summary(d: Digest, m: mail.Mail) -> dict:
    return {
        "to": d.to,
        "language": d.language,
        "subject": d.subject,
        "organisations": list(d.organisations),
        "area_groups": list(d.area_groups),
        "personal": d.personal,
        "tasks": d.counts["tasks"],
        "overdue": d.counts["overdue"],
        "groups": d.counts["groups"],
        "bytes": len(m.text.encode()) + len(m.html.encode()),
    }


def send_digests(
    con,
    week_label: str | None = None,
    *,
    dry_run: bool = False,
    force: bool = False,
    settings: mail.SmtpSettings | None = None,
) -> DigestRun:
    """Build the week's digests and send those not sent before (all with ``force``)."""
    started = time.perf_counter()
    if not dry_run and settings is None:
        settings = mail.SmtpSettings.from_env()
    digests = build_digests(con, week_label)
    week = digests[0].week if digests else _default_week(con, week_label)
    run = DigestRun(week=week, dry_run=dry_run)
    done = set() if force else _already_sent(con, "digest", week)
    todo = []
    by_to: dict[str, tuple[Digest, mail.Mail]] = {}
    for d in digests:
        m = d.mail()
        if d.to in done:
            run.skipped.append({"to": d.to, "reason": "already_sent"})
            continue
        todo.append(m)
        by_to[d.to] = (d, m)
    if dry_run:
        run.sent = [_summary(*by_to[m.to]) for m in todo]
        run.seconds = time.perf_counter() - started
        return run

    def sent(m: mail.Mail) -> None:
        record_sent(con, "digest", week, m.to, m.subject)
        run.sent.append(_summary(*by_to[m.to]))

    try:
        result = mail.send(todo, settings, on_sent=sent)
        run.refused = [{"to": to, "reason": why} for to, why in result.refused.items()]
    except mail.MailError as exc:
        run.error = str(exc)
    run.seconds = time.perf_counter() - started
    return run


# --- The schedule -------------------------------------------------------------------------------

SCHEDULE_KEY = "notify_digest_schedule"  # {"enabled", "weekday" 0-6, "time" "HH:MM", "changed"}
LAST_KEY = "notify_digest_last"  # {"week", "at", "sent", "refused", "error"}
DEFAULT_SCHEDULE = {"enabled": False, "weekday": 1, "time": "08:00", "changed": None}


def digest_schedule(con) -> dict:
    cur = con.cursor()
    try:
        raw = db.meta_get(cur, SCHEDULE_KEY)
        last = db.meta_get(cur, LAST_KEY)
    finally:
        cur.close()
    out = dict(DEFAULT_SCHEDULE)
    if raw:
        try:
            out.update(json.loads(raw))
        except ValueError:
            pass
    out["last"] = json.loads(last) if last else None
    return out


def set_digest_schedule(con, actor, *, enabled: bool, weekday: int, at: str) -> None:
    """The weekly digest's day and time (admins only), recorded with who set it."""
    from safetycore.access import require

    require(actor, "admin")
    if not 0 <= int(weekday) <= 6:
        raise ValueError("The weekday is 0 (Monday) to 6 (Sunday).")
    try:
        hour, minute = (int(p) for p in str(at).split(":"))
        dt.time(hour, minute)
    except ValueError as exc:
        raise ValueError(f"Give the time as HH:MM, not {at!r}.") from exc
    now = clock.now_for(con).replace(tzinfo=None, microsecond=0)
    value = {
        "enabled": bool(enabled),
        "weekday": int(weekday),
        "time": f"{hour:02d}:{minute:02d}",
        "changed": {"by": actor.identity, "at": now.isoformat(sep=" ")},
    }
    with db.transaction(con) as cur:
        db.meta_set(cur, SCHEDULE_KEY, json.dumps(value))


def scheduled_week(schedule: dict, now: dt.datetime) -> str | None:
    """The week whose digest is due at ``now`` (local time), or None: from the set weekday and
    time on, the last complete week's digest is due until it has been sent."""
    if not schedule.get("enabled"):
        return None
    hour, minute = (int(p) for p in schedule["time"].split(":"))
    monday = now.date() - dt.timedelta(days=now.weekday())
    due_at = dt.datetime.combine(
        monday + dt.timedelta(days=int(schedule["weekday"])), dt.time(hour, minute)
    )
    if now.replace(tzinfo=None) < due_at:
        return None
    week = sit.Week.of(monday - dt.timedelta(days=1)).label  # the last complete week
    last = schedule.get("last") or {}
    if last.get("week") == week and not last.get("error"):
        return None
    return week


def next_run(schedule: dict, now: dt.datetime) -> dt.datetime | None:
    if not schedule.get("enabled"):
        return None
    hour, minute = (int(p) for p in schedule["time"].split(":"))
    now = now.replace(tzinfo=None)
    monday = now.date() - dt.timedelta(days=now.weekday())
    at = dt.datetime.combine(
        monday + dt.timedelta(days=int(schedule["weekday"])), dt.time(hour, minute)
    )
    if scheduled_week(schedule, now) is not None:
        return now
    return at if at > now else at + dt.timedelta(weeks=1)


def run_scheduled(con, now: dt.datetime | None = None) -> DigestRun | None:
    """The scheduler's look at the digest: send it when due (nothing when mail is not set)."""
    if not mail.configured():
        return None
    now = now or clock.now_for(con)
    week = scheduled_week(digest_schedule(con), now)
    if week is None:
        return None
    run = send_digests(con, week)
    record = {
        "week": week,
        "at": now.replace(tzinfo=None, microsecond=0).isoformat(sep=" "),
        "sent": len(run.sent),
        "skipped": len(run.skipped),
        "refused": len(run.refused),
        "error": run.error,
        "seconds": round(run.seconds, 2),
    }
    with db.transaction(con) as cur:
        db.meta_set(cur, LAST_KEY, json.dumps(record))
    return run


def check_week(label: str) -> str:
    try:
        return sit.Week.parse(label).label
    except ValueError as exc:
        raise UsageError(f"{exc} Give --week as YYYY-Www, for example 2026-W47.") from exc


# --- Reminders ----------------------------------------------------------------------------------

ASSIGNED_WINDOW = dt.timedelta(hours=24)  # assignments older than this are not announced


@dataclass
class Outgoing:
    """Messages to send, each with the (kind, key) it is recorded under."""

    items: list[tuple[str, str, mail.Mail]] = field(default_factory=list)
    sent: list[dict] = field(default_factory=list)
    refused: list[dict] = field(default_factory=list)
    error: str = ""

    def add(self, kind: str, key: str, message: mail.Mail) -> None:
        self.items.append((kind, key, message))

    def send(self, con, settings: mail.SmtpSettings | None = None) -> Outgoing:
        if not self.items:
            return self
        by_mail = {id(m): (kind, key) for kind, key, m in self.items}

        def sent(m: mail.Mail) -> None:
            kind, key = by_mail[id(m)]
            record_sent(con, kind, key, m.to, m.subject)
            self.sent.append({"kind": kind, "key": key, "to": m.to, "subject": m.subject})

        try:
            result = mail.send([m for _, _, m in self.items], settings, on_sent=sent)
            self.refused = [{"to": to, "reason": why} for to, why in result.refused.items()]
        except mail.MailError as exc:
            self.error = str(exc)
        return self


def _due_text(row, lang: str) -> str:
    if getattr(row, "due_at", None) is not None and pd.notna(row.due_at):
        return pd.Timestamp(row.due_at).strftime("%Y-%m-%d %H:%M")
    return date_text(row.due_date, lang)


def _notice(to: str, lang: str, subject: str, lines: list[str]) -> mail.Mail:
    t = translator(lang)
    d = Digest(
        to=to,
        language=lang,
        week="",
        subject=subject,
        sections=[Section(subject.split(": ", 1)[-1], lines=lines)],
        organisations=(),
        area_groups=(),
        personal=False,
        counts={},
        intro=t("notify.reminder.intro"),
        footer=t("notify.reminder.footer"),
    )
    return d.mail()


def reminder_mails(con, *, now: dt.datetime | None = None) -> Outgoing:
    """The reminders not sent yet: overdue tasks to their organisation's contacts (once per
    deadline), new assignments to the assignee's address."""
    now = (now or clock.now_for(con)).replace(tzinfo=None)
    today = now.date()
    out = Outgoing()
    sent_overdue = _sent_keys(con, "overdue")
    tasks = queries.run(con, "notify_open_tasks", today=today, now=now)
    overdue = tasks[tasks["bucket"] == "overdue"]
    org_addresses: dict[str, list[tuple[str, str]]] = {}
    for r in overdue.itertuples(index=False):
        due = (
            pd.Timestamp(r.due_at).isoformat()
            if pd.notna(r.due_at)
            else pd.Timestamp(r.due_date).date().isoformat()
        )
        key = f"{r.id}:{due}"
        if r.owner_org not in org_addresses:
            org_addresses[r.owner_org] = contacts.addresses_for_org(con, r.owner_org)
        for email, lang in org_addresses[r.owner_org]:
            if (key, email) in sent_overdue:
                continue
            t = translator(lang)
            subject = t("notify.reminder.overdue_subject", title=r.title)
            lines = [
                t(
                    "notify.reminder.overdue_line",
                    title=r.title,
                    org=source_label(r.owner_org, lang),
                    group=r.area_group,
                    due=_due_text(r, lang),
                    days=int(r.days_late or 0),
                ),
                t("notify.reminder.overdue_do"),
            ]
            out.add("overdue", key, _notice(email, lang, subject, lines))
    known = contacts.known_addresses(con)
    sent_assigned = _sent_keys(con, "assigned")
    assigned = queries.run(con, "notify_assigned", since=now - ASSIGNED_WINDOW)
    for r in assigned.itertuples(index=False):
        email = r.assignee
        if email not in known:
            continue
        key = f"{r.action_id}:{pd.Timestamp(r.changed_at).isoformat()}"
        if (key, email) in sent_assigned:
            continue
        lang = known[email]
        t = translator(lang)
        subject = t("notify.reminder.assigned_subject", title=r.title)
        lines = [
            t(
                "notify.reminder.assigned_line",
                title=r.title,
                org=source_label(r.owner_org, lang),
                group=r.area_group,
                due=_due_text(r, lang),
            )
        ]
        if isinstance(r.event_title, str) and r.event_title:
            lines.append(t("notify.reminder.assigned_event", event=r.event_title))
        out.add("assigned", key, _notice(email, lang, subject, lines))
    return out


def _sent_keys(con, kind: str) -> set[tuple[str, str]]:
    cur = con.cursor()
    try:
        return {(k, e) for k, e in queries.execute(cur, "notify_sent_of_kind", k=kind).fetchall()}
    finally:
        cur.close()


def send_reminders(
    con, *, now: dt.datetime | None = None, settings: mail.SmtpSettings | None = None
) -> Outgoing:
    """Send the reminders not sent yet (the scheduler calls this on every tick)."""
    out = reminder_mails(con, now=now)
    if out.items and settings is None:
        settings = mail.SmtpSettings.from_env()
    return out.send(con, settings)
