"""Personal data in free text: find and mask it before anything is stored.

The one scrubber for every free-text field of every table (descriptions, places, refused
rows, action texts, rating comments, logs). What it masks:

- **Personal identity and coordination numbers** (personnummer, samordningsnummer):
  ``YYYYMMDD-XXXX`` or ``YYMMDD-XXXX`` with a hyphen, an en dash, a plus (over 100), a space
  or nothing between, a real month and day (coordination numbers: day + 60), and only when
  the last digit is the Luhn check digit of the other nine. A case number such as "Ärende
  2403151234" whose last digit is not its check digit stays as it is.
- **Phone numbers**: whatever the ``phonenumbers`` library (Google's libphonenumber) finds and
  holds valid, read as Swedish when there is no country code: ``070-123 45 67``,
  ``070/123 45 67``, ``(070) 123 45 67``, ``+46 70 123 45 67``, ``08-123 456 78``. A bus time
  ("avgår 08 12 34") or a date is no valid number and stays.
- **E-mail addresses**: every one.
- **Names**: a heuristic (a common Swedish first name followed by a capitalised word, or a
  word such as "herr", "eleven", "heter" followed by one); it errs on the side of masking.

``mask`` and ``find`` work on one text (the observation form shows what will be masked);
``mask_series`` on a whole column: a vectorised test (RE2, in Arrow) picks the few texts that
may hold personal data, and only those are read in Python. ``scrub_table`` does the same for
a column of a DuckDB table, the test running in DuckDB.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import phonenumbers
import pyarrow as pa
import pyarrow.compute as pc

from safetycore import queries

# Raised when what is masked changes; a database scrubbed with an older version is scrubbed
# again when it is opened (see db.migrate).
VERSION = 2

KINDS = ("pnr", "phone", "email", "name")
MASK = {"pnr": "[personnummer]", "phone": "[telefonnummer]", "email": "[e-post]", "name": "[namn]"}
REGION = "SE"

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2212"  # hyphens, figure dash, en/em dash, minus
_SEP = "[-" + _DASHES + "+ ]"  # between the date and the last four digits
# The digits of a personal identity number; the date and the check digit are tested in
# _is_pnr. Ten digits starting 07 without a separator (0701234567) are a mobile number.
_PNR = re.compile(
    r"(?<![0-9])(?!07[0-9]{8}(?![0-9]))"
    r"(?:19|20)?([0-9]{2})(0[1-9]|1[0-2])([0-9]{2})" + _SEP + r"?([0-9]{4})(?![0-9])"
)
_SIX_DIGITS = re.compile(r"[0-9]{6}")
_EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)*")
_FIRST_NAMES = (
    "Adam Agnes Ahmed Alexander Ali Alice Alva Amanda Andreas Anders Anna Anton Arvid Astrid "
    "Axel Bengt Birgitta Björn Carl Caroline Cecilia Charlotte Christina Daniel David Ebba Elias "
    "Elin Elsa Emil Emma Erik Eva Filip Fredrik Gustav Hampus Hanna Hans Hassan Helena Henrik Hugo "
    "Ida Ingrid Isak Jakob Jan Jenny Johan Johanna Jonas Josefin Julia Karin Karl Kerstin Kristina "
    "Lars Leo Linda Linnea Lisa Liam Lucas Ludvig Lukas Magnus Maja Malin Maria Marie Martin Matilda "
    "Mats Mikael Mohamed Mohammed Moa Nils Noah Nora Olivia Olle Omar Oscar Oskar Patrik Per Peter "
    "Rasmus Sara Sebastian Simon Sofia Sofie Stefan Sven Theo Thomas Tove Ulla Viktor Vera Wilma "
    "William Yasmin Zara"
).split()
_TITLES = "[Hh]err|[Ff]ru|[Ee]leven|[Ee]lev|[Mm]amma|[Pp]appa|[Hh]eter|[Hh]ette|[Nn]amnet"
_CAP = r"[A-ZÅÄÖÉ][a-zåäöéü]+(?:-[A-ZÅÄÖÉ][a-zåäöéü]+)?"
_NAME = re.compile(
    r"\b(?:(?:" + "|".join(_FIRST_NAMES) + r")(?:\s+" + _CAP + r")+"
    r"|(?:" + _TITLES + r")\s+" + _CAP + r"(?:\s+" + _CAP + r")?)\b"
)
_TITLE_WORDS = re.compile(r"^(?:" + _TITLES + r")\s+")

# The shape of a written phone number: a leading + (a country code), or a 0 (the trunk
# prefix, also as "(0"), then at least six more digits with at most three separators between
# each. The phone library is asked about texts with this shape only (it is the slow part), and
# about numbers that start so: a number written without its leading 0 is not read as one.
_PHONE_SHAPE = r"(?:\+|(?:^|[^0-9])\(?0)[0-9](?:[-" + _DASHES + r"/(). ]{0,3}[0-9]){5,}"
_PHONE_GATE = re.compile(_PHONE_SHAPE)
_WS = r"[\s\pZ\x0b\x1c-\x1f\x85]"  # what Python's \s matches, in RE2
# RE2 (Arrow and DuckDB): every text with a finding matches this, most texts without one do
# not; only the ones that match are read in Python. An @; the digits of a personal number in
# its shape; a phone number's shape; a first name or title word before a capital.
CANDIDATE = (
    r"@"
    r"|(?:^|[^0-9])(?:19|20)?[0-9]{2}(?:0[1-9]|1[0-2])[0-9]{2}" + _SEP + r"?[0-9]{4}(?:[^0-9]|$)"
    r"|"
    + _PHONE_SHAPE
    + r"|(?:"
    + "|".join(_FIRST_NAMES)
    + "|"
    + _TITLES
    + r")"
    + _WS
    + r"+[A-ZÅÄÖÉ]"
)


@dataclass(frozen=True)
class Finding:
    kind: str  # pnr | phone | email | name
    start: int
    end: int


def luhn_ok(digits: str) -> bool:
    """Whether the last digit is the Luhn check digit of the ones before it."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _is_pnr(m: re.Match) -> bool:
    yy, mm, dd, tail = m.group(1), int(m.group(2)), int(m.group(3)), m.group(4)
    day = dd - 60 if dd > 60 else dd  # coordination numbers: the day plus 60
    # The century is not always written: 29 February is a real day when YY is a leap year
    # in either 19YY or 20YY.
    if not 1 <= day <= calendar.monthrange(2000 + int(yy), mm)[1]:
        return False
    return luhn_ok(yy + m.group(2) + m.group(3) + tail)


def _phone_spans(text: str) -> list[tuple[int, int]]:
    """Where the phone library finds valid numbers. It reads only the stretches of the text
    in a phone number's shape (with a character of context on each side): its cost grows with
    the text it reads, and a long text (a refused row's cells) has few such stretches."""
    spans: list[tuple[int, int]] = []
    for gate in _PHONE_GATE.finditer(text):
        lo, hi = max(0, gate.start() - 1), min(len(text), gate.end() + 1)
        if spans and lo < spans[-1][1]:
            continue  # a number already found runs into this stretch
        for m in phonenumbers.PhoneNumberMatcher(
            text[lo:hi], REGION, leniency=phonenumbers.Leniency.VALID
        ):
            if m.raw_string.lstrip("(")[:1] in ("+", "0"):
                spans.append((lo + m.start, lo + m.end))
    return spans


def _overlaps(found: list[Finding], start: int, end: int) -> bool:
    return any(f.start < end and start < f.end for f in found)


def find(text: str | None) -> list[Finding]:
    """Personal data found in ``text``, in order, without overlaps."""
    if not text:
        return []
    found: list[Finding] = []
    if "@" in text:
        for m in _EMAIL.finditer(text):
            found.append(Finding("email", m.start(), m.end()))
    if _SIX_DIGITS.search(text):
        for m in _PNR.finditer(text):
            if _is_pnr(m) and not _overlaps(found, m.start(), m.end()):
                found.append(Finding("pnr", m.start(), m.end()))
    for start, end in _phone_spans(text):
        if not _overlaps(found, start, end):
            found.append(Finding("phone", start, end))
    for m in _NAME.finditer(text):
        start = m.start()
        title = _TITLE_WORDS.match(m.group(0))
        if title:
            start += title.end()
        if not _overlaps(found, start, m.end()):
            found.append(Finding("name", start, m.end()))
    return sorted(found, key=lambda f: f.start)


def kinds_found(text: str | None) -> set[str]:
    return {f.kind for f in find(text)}


def mask(text: str | None, kinds: tuple[str, ...] = KINDS) -> str | None:
    """The text with every finding replaced by a marker such as ``[personnummer]``.

    ``kinds`` narrows what is masked (a field that holds a name by design, such as an
    action's assignee, keeps names but not numbers or addresses)."""
    if not text:
        return text
    out = []
    last = 0
    for f in find(text):
        if f.kind not in kinds:
            continue
        out.append(text[last : f.start])
        out.append(MASK[f.kind])
        last = f.end
    out.append(text[last:])
    return "".join(out)


def candidates(texts) -> np.ndarray:
    """Which texts (an Arrow array, or anything Arrow reads) may hold personal data: the
    vectorised superset test (``CANDIDATE``); nulls are no candidates."""
    arr = (
        texts
        if isinstance(texts, pa.Array | pa.ChunkedArray)
        else pa.array(texts, type=pa.large_string())
    )
    hit = pc.match_substring_regex(arr, CANDIDATE)
    return np.asarray(pc.fill_null(hit, False).to_numpy(zero_copy_only=False), dtype=bool)


def mask_series(values: pd.Series, kinds: tuple[str, ...] = KINDS) -> pd.Series:
    """``mask`` over a column, vectorised: the RE2 test (``candidates``) runs over the whole
    column in Arrow, and only the texts it picks are read in Python, each distinct one once.
    Returns an object Series (None where the value was missing)."""
    # np.array copies: to_numpy(copy=True, na_value=...) hands back the frame's own array
    # when nothing is missing (pandas 3.1).
    out = np.array(values.to_numpy(dtype=object, na_value=None), dtype=object)
    if len(out) == 0:
        return pd.Series(out, index=values.index, dtype=object)
    try:
        arr = pa.array(values, type=pa.large_string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # not all text: look at the texts as text
        arr = pa.array([None if v is None else str(v) for v in out], type=pa.large_string())
    done: dict[str, str] = {}
    for i in np.flatnonzero(candidates(arr)):
        text = out[i] if isinstance(out[i], str) else str(out[i])
        if text not in done:
            done[text] = mask(text, kinds) or text
        out[i] = done[text]
    return pd.Series(out, index=values.index, dtype=object)


def mask_list(values: list, kinds: tuple[str, ...] = KINDS) -> list:
    """``mask_series`` for a plain list (None stays None)."""
    if not values:
        return []
    return [None if pd.isna(v) else v for v in mask_series(pd.Series(values, dtype=object), kinds)]


# --- a column of a DuckDB table ---

NUMBERS = ("pnr", "phone", "email")  # for fields that name a person or a place by design

# Every free-text column the scrubber cleans in a stored database: (table, column, the kinds
# it masks, which rows). Identifiers reach SQL from here only.
FREE_TEXT: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    ("incidents", "description", KINDS, "true"),
    ("incidents", "place", KINDS, "true"),
    ("incidents", "category_raw", KINDS, "true"),
    ("rejected_rows", "raw", KINDS, "true"),
    ("rejected_rows", "reason", KINDS, "true"),
    ("import_batches", "file_name", KINDS, "true"),
    ("sources", "label_sv", KINDS, "true"),
    ("sources", "label_en", KINDS, "true"),
    ("actions", "title", KINDS, "true"),
    ("actions", "description", KINDS, "true"),
    ("actions", "outcome", KINDS, "true"),
    ("actions", "assignee", NUMBERS, "true"),
    ("action_log", "old_value", KINDS, "field <> 'assignee'"),
    ("action_log", "new_value", KINDS, "field <> 'assignee'"),
    ("action_log", "old_value", NUMBERS, "field = 'assignee'"),
    ("action_log", "new_value", NUMBERS, "field = 'assignee'"),
    ("area_ratings", "comment", KINDS, "true"),
    ("area_groups", "name", NUMBERS, "true"),
    ("areas", "name", NUMBERS, "true"),
    ("area_log", "old_value", NUMBERS, "true"),
    ("area_log", "new_value", NUMBERS, "true"),
)


def scrub_table(cur, table: str, column: str, kinds: tuple[str, ...] | None = None) -> int:
    """Mask ``table.column`` in place, as ``FREE_TEXT`` says; returns how many distinct texts
    changed. The RE2 test runs in DuckDB, so only candidates reach Python."""
    entries = [
        e
        for e in FREE_TEXT
        if e[0] == table and e[1] == column and (kinds is None or e[2] == kinds)
    ]
    if not entries:
        raise KeyError(f"{table}.{column} is not a free-text column of the schema")
    changed_total = 0
    for _, _, kinds_, rows in entries:
        # Inline on purpose: one pair of statements serves FREE_TEXT's 21 columns (names and row
        # conditions from that fixed table, the pattern bound); 42 files would say the same.
        texts = [
            r[0]
            for r in cur.execute(
                f'SELECT DISTINCT "{column}" FROM "{table}" '  # noqa: S608 (names from FREE_TEXT)
                f'WHERE ({rows}) AND regexp_matches("{column}", $pattern)',
                {"pattern": CANDIDATE},
            ).fetchall()
        ]
        changed = [(t, m) for t, m in zip(texts, mask_list(texts, kinds_), strict=True) if m != t]
        if not changed:
            continue
        cur.register(
            "_scrubbed",
            pd.DataFrame(
                {"text": [c[0] for c in changed], "masked": [c[1] for c in changed]}, dtype=object
            ),
        )
        try:
            # Inline on purpose, as the read above: names from FREE_TEXT, values from _scrubbed.
            cur.execute(
                f'UPDATE "{table}" SET "{column}" = s.masked FROM _scrubbed AS s '  # noqa: S608
                f'WHERE ({rows}) AND "{table}"."{column}" = s.text'
            )
        finally:
            cur.unregister("_scrubbed")
        changed_total += len(changed)
    return changed_total


def scrub_database(cur) -> dict[str, int]:
    """Every free-text column of every table (``FREE_TEXT``) masked in place; returns the
    number of distinct texts changed per column."""
    present = {r[0] for r in queries.execute(cur, "privacy_tables").fetchall()}
    out: dict[str, int] = {}
    for table, column, _kinds, _rows in FREE_TEXT:
        if table in present and f"{table}.{column}" not in out:
            out[f"{table}.{column}"] = scrub_table(cur, table, column)
    return out
