"""Who gets e-mail: contacts per owner organisation and per area group, and users themselves.

A contact is an e-mail address with an owner organisation (a ``sources`` code: the
organisations that own actions), an area group, both, or neither. Neither means the address of
a user with login: it hears about the tasks assigned to that address. The language (sv or en)
belongs to the address: every row of one address has the same.

Contacts are kept on the Administration page (admins) and loaded from a CSV file with
``python -m safetycore contacts import FILE.csv``; every change is logged in ``contact_log`` in
the same transaction. Errors carry a stable ``code`` and ``params`` so the page can say them in
the user's language; ``str(error)`` is an English message for the command line.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from safetycore import clock, db, queries
from safetycore.access import Actor, require

LANGUAGES = ("sv", "en")
EMAIL_MAX = 254
MAX_ROWS = 10_000
MAX_BYTES = 2_000_000
COLUMNS = ("email", "organisation", "area_group")
_EMAIL = re.compile(r"[^@\s<>\"',;()]+@[^@\s<>\"',;()]+\.[^@\s<>\"',;()]+")
_LANGUAGE_WORDS = {
    "": "sv",
    "sv": "sv",
    "svenska": "sv",
    "swedish": "sv",
    "en": "en",
    "engelska": "en",
    "english": "en",
}

ENGLISH = {
    "bad_email": "{value!r} is not an e-mail address like namn@kommun.se.",
    "unknown_org": "There is no organisation {value!r}; use one of {known}.",
    "unknown_group": "There is no area group {value!r}; use one of {known}.",
    "bad_language": "The language must be sv or en, not {value!r}.",
    "exists": "{email} is already a contact for that.",
    "not_found": "{email} is not a contact for that.",
    "not_utf8": "The file is not UTF-8 text (save it as 'CSV UTF-8').",
    "too_big": "The file has more than {max} bytes; a contacts file is much smaller.",
    "too_many": "The file has more than {max} rows.",
    "no_header": "The file has no header row; the first row must name the columns "
    "email, organisation, area_group.",
    "missing_columns": "The file lacks the columns {missing}; it has {found}. The first row must "
    "name the columns email, organisation, area_group.",
}


class ContactError(ValueError):
    """Input a user can fix; ``code`` and ``params`` say what in any language."""

    def __init__(self, code: str, **params):
        super().__init__(ENGLISH.get(code, code).format(**params))
        self.code = code
        self.params = params


@dataclass
class Refused:
    row: int  # the row's line in the file (the header is line 1)
    code: str
    params: dict

    @property
    def reason(self) -> str:
        return ENGLISH.get(self.code, self.code).format(**self.params)


@dataclass
class ImportOutcome:
    read: int = 0
    added: int = 0
    unchanged: int = 0
    language_changed: int = 0
    refused: list[Refused] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "read": self.read,
            "added": self.added,
            "unchanged": self.unchanged,
            "language_changed": self.language_changed,
            "refused": len(self.refused),
            "refused_rows": [{"row": r.row, "reason": r.reason} for r in self.refused],
        }


# --- Reading the reference lists -------------------------------------------------------------


def _reference(cur) -> tuple[dict[str, str], dict[str, str], list[str], list[str]]:
    """Lookups from a code, id or label (any case) to the organisation code / area group id."""
    orgs: dict[str, str] = {}
    org_codes = []
    for code, sv, en in queries.execute(cur, "contacts_sources").fetchall():
        org_codes.append(code)
        for key in (code, sv, en):
            orgs.setdefault(_fold(key), code)
    groups: dict[str, str] = {}
    group_ids = []
    for gid, name in queries.execute(cur, "contacts_area_groups").fetchall():
        group_ids.append(gid)
        for key in (gid, name):
            groups.setdefault(_fold(key), gid)
    return orgs, groups, org_codes, group_ids


def _fold(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def _email(value: str | None) -> str:
    email = (value or "").strip().lower()
    if len(email) > EMAIL_MAX or not _EMAIL.fullmatch(email):
        raise ContactError("bad_email", value=(value or "").strip()[:80])
    return email


def _language(value: str | None) -> str:
    lang = _LANGUAGE_WORDS.get(_fold(value))
    if lang is None:
        raise ContactError("bad_language", value=(value or "").strip()[:40])
    return lang


def _checked(cur, email, organisation, area_group, language) -> tuple[str, str, str, str]:
    orgs, groups, org_codes, group_ids = _reference(cur)
    email = _email(email)
    org = ""
    if _fold(organisation):
        found_org = orgs.get(_fold(organisation))
        if found_org is None:
            raise ContactError(
                "unknown_org", value=organisation.strip()[:80], known=", ".join(org_codes)
            )
        org = found_org
    group = ""
    if _fold(area_group):
        found_group = groups.get(_fold(area_group))
        if found_group is None:
            raise ContactError(
                "unknown_group", value=area_group.strip()[:80], known=", ".join(group_ids)
            )
        group = found_group
    return email, org, group, _language(language)


# --- Writing -----------------------------------------------------------------------------------


def _log(
    cur, actor: Actor, at, change: str, email: str, org: str, group: str, detail: str | None = None
) -> None:
    queries.execute(
        cur,
        "contacts_log_insert",
        at=at,
        by=actor.identity.strip(),
        change=change,
        email=email,
        org=org,
        group=group,
        detail=detail,
    )


def _add(cur, actor: Actor, at, email: str, org: str, group: str, lang: str) -> tuple[bool, int]:
    """Add one row (if new) and give the address ``lang``; (added?, rows whose language changed)."""
    exists = db.scalar(queries.execute(cur, "contacts_count_one", e=email, o=org, g=group))
    changed = 0
    for old_lang, n in queries.execute(cur, "contacts_other_languages", e=email, l=lang).fetchall():
        queries.execute(cur, "contacts_set_language", l=lang, e=email, old=old_lang)
        _log(cur, actor, at, "language", email, "", "", f"{old_lang} -> {lang}")
        changed += int(n)
    if exists:
        return False, changed
    queries.execute(
        cur, "contacts_insert", e=email, o=org, g=group, l=lang, by=actor.identity.strip(), at=at
    )
    _log(cur, actor, at, "added", email, org, group, lang)
    return True, changed


def add_contact(
    con,
    actor: Actor,
    email: str,
    *,
    organisation: str = "",
    area_group: str = "",
    language: str = "sv",
) -> str:
    """Add a contact (admins only); returns the stored (lower-case) address."""
    require(actor, "admin")
    at = clock.now_for(con)
    with db.transaction(con) as cur:
        email, org, group, lang = _checked(cur, email, organisation, area_group, language)
        added, changed = _add(cur, actor, at, email, org, group, lang)
        if not added and not changed:
            raise ContactError("exists", email=email)
    return email


def remove_contact(
    con, actor: Actor, email: str, *, organisation: str = "", area_group: str = ""
) -> None:
    """Remove one contact row (admins only), logged."""
    require(actor, "admin")
    at = clock.now_for(con)
    email = (email or "").strip().lower()
    with db.transaction(con) as cur:
        params = {"e": email, "o": organisation or "", "g": area_group or ""}
        found = db.scalar(queries.execute(cur, "contacts_count_one", **params))
        if not found:
            raise ContactError("not_found", email=email)
        queries.execute(cur, "contacts_delete", **params)
        _log(cur, actor, at, "removed", email, params["o"], params["g"])


def read_csv(data: bytes | str) -> list[tuple[int, dict[str, str]]]:
    """The rows of a contacts CSV (comma or semicolon separated) with their line numbers."""
    if isinstance(data, bytes):
        if len(data) > MAX_BYTES:
            raise ContactError("too_big", max=f"{MAX_BYTES:,}")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ContactError("not_utf8") from exc
    else:
        text = data.lstrip("\ufeff")
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise ContactError("no_header")
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [_fold(h).replace(" ", "_") for h in next(reader)]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ContactError(
            "missing_columns",
            missing=", ".join(missing),
            found=", ".join(h for h in header if h) or "–",
        )
    rows: list = []
    for values in reader:
        if not any(v.strip() for v in values):
            continue
        if len(rows) >= MAX_ROWS:
            raise ContactError("too_many", max=f"{MAX_ROWS:,}")
        row = {name: (values[i] if i < len(values) else "") for i, name in enumerate(header)}
        rows.append((reader.line_num, row))
    return rows


def import_contacts(con, actor: Actor, data: bytes | str) -> ImportOutcome:
    """Add the contacts a CSV lists (columns email, organisation, area_group, optionally
    language), in one transaction. A row that cannot be a contact is refused with its reason;
    the others are added (or counted unchanged when already there)."""
    require(actor, "admin")
    rows = read_csv(data)
    outcome = ImportOutcome(read=len(rows))
    at = clock.now_for(con)
    with db.transaction(con) as cur:
        for line, row in rows:
            try:
                email, org, group, lang = _checked(
                    cur,
                    row.get("email"),
                    row.get("organisation"),
                    row.get("area_group"),
                    row.get("language"),
                )
            except ContactError as exc:
                outcome.refused.append(Refused(line, exc.code, exc.params))
                continue
            added, changed = _add(cur, actor, at, email, org, group, lang)
            outcome.added += int(added)
            outcome.unchanged += int(not added)
            outcome.language_changed += changed
    return outcome


# --- Reading -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    """One address and everything it hears about."""

    email: str
    language: str
    organisations: tuple[str, ...]
    area_groups: tuple[str, ...]
    personal: bool  # a row with neither: the tasks assigned to this address


def recipients(con) -> list[Recipient]:
    """Every address with its organisations and area groups, in address order."""
    from safetycore import queries

    out = []
    frame = queries.run(con, "contacts_recipients")
    for r in frame.itertuples(index=False):
        out.append(
            Recipient(
                email=r.email,
                language=r.language,
                organisations=tuple(r.organisations),
                area_groups=tuple(r.area_groups),
                personal=bool(r.personal),
            )
        )
    return out


def addresses_for_org(con, organisation: str) -> list[tuple[str, str]]:
    """(address, language) of the contacts of one organisation."""
    cur = con.cursor()
    try:
        return [
            tuple(r)
            for r in queries.execute(cur, "contacts_of_organisation", o=organisation).fetchall()
        ]
    finally:
        cur.close()


def language_of(con, email: str) -> str | None:
    cur = con.cursor()
    try:
        row = queries.execute(cur, "contacts_language", e=email.strip().lower()).fetchone()
    finally:
        cur.close()
    return row[0] if row else None


def known_addresses(con) -> dict[str, str]:
    """Addresses a notice may go to (contacts, users given a role on the Administration page or
    in the role file), with their language."""
    cur = con.cursor()
    try:
        rows = queries.execute(cur, "contacts_all_languages").fetchall()
    finally:
        cur.close()
    from safetycore.access import RoleConfigError, load_role_config

    try:  # users the role file names are known too
        rows = [*((email, "sv") for email in load_role_config().users), *rows]
    except RoleConfigError:
        pass
    out: dict[str, str] = {}
    for email, lang in rows:
        if email not in out or lang != "sv":
            out[email] = lang
    return out
