"""What an event cost and who was involved, as the yearly situation picture needs them.

* ``cost_sek``: repair and cleaning cost in kronor (a work order's amount). Swedish number
  writing is accepted: "1 234,50 kr", "1.234,50", "1234.50", "500:-".
* ``involved``: the group involved, the way EST reporting records it, never a name or an
  identity: ``youth`` | ``adults`` | ``mixed`` | ``unknown``.
* ``people``: about how many people ("ca 5", "5-10" is taken as its middle).

The same rules hold for the observation form (these functions) and for CSV/XLSX imports
(``queries/ingest_tabular.sql``, which repeats them in SQL so a million rows never pass
through Python).
"""

from __future__ import annotations

import re

from safetycore.errors import UsageError

INVOLVED = ("youth", "adults", "mixed", "unknown")
INVOLVED_LABELS = {
    "youth": ("Unga", "Young people"),
    "adults": ("Vuxna", "Adults"),
    "mixed": ("Unga och vuxna", "Young people and adults"),
    "unknown": ("Okänt", "Unknown"),
}
# Words a source may use for each group (case and spacing do not matter), besides the codes
# and the labels above; a mapping file's [involved] table adds its own.
INVOLVED_WORDS = {
    "youth": (
        "ungdom",
        "ungdomar",
        "ungdomsgrupp",
        "barn och unga",
        "unga personer",
        "minderåriga",
        "young",
        "juveniles",
        "minors",
        "teenagers",
    ),
    "adults": ("vuxen", "vuxna personer", "adult", "grown-ups"),
    "mixed": (
        "blandat",
        "blandad",
        "blandade",
        "båda",
        "vuxna och unga",
        "unga och vuxna",
        "both",
        "youth and adults",
        "adults and youth",
    ),
    "unknown": ("okänd", "okända", "vet ej", "vet inte", "ej känt", "not known", "?"),
}
# Costs above this are a typing mistake (or a budget, not a repair), refused as such.
MAX_COST_SEK = 100_000_000
MAX_PEOPLE = 10_000


def involved_label(code: str | None, lang: str = "sv") -> str:
    sv, en = INVOLVED_LABELS.get(code or "unknown", INVOLVED_LABELS["unknown"])
    return en if lang == "en" else sv


def _key(text) -> str:
    return re.sub(r"\s+", " ", str(text)).strip().casefold()


def involved_value_map(extra: dict[str, str] | None = None) -> dict[str, str]:
    """File value (normalised) -> involved code: a mapping's own entries first, then the
    codes, the Swedish and English labels and the usual words."""
    out = {_key(k): v for k, v in (extra or {}).items()}
    for code in INVOLVED:
        sv, en = INVOLVED_LABELS[code]
        for word in (code, sv, en, *INVOLVED_WORDS[code]):
            out.setdefault(_key(word), code)
    return out


_COST_NOISE = re.compile(r"[\s\u00a0\u202f\u2009']|kronor|kr\.?|sek|:-")


def parse_cost(text) -> float | None:
    """Kronor from how people write them; None for an empty value. Raises UsageError for a
    value that is not an amount, is negative or is implausibly large."""
    if text is None:
        return None
    if isinstance(text, int | float):
        value = float(text)
    else:
        raw = str(text).strip()
        if not raw:
            return None
        parsed = _cost_number(raw)
        if parsed is None:
            raise UsageError(f"The cost {raw!r} is not an amount in kronor (write e.g. 1 234,50).")
        value = parsed
    if value != value or value < 0 or value > MAX_COST_SEK:  # NaN, negative, too large
        raise UsageError(f"The cost {text!r} must be between 0 and {MAX_COST_SEK:,} kronor.")
    return value


def _cost_number(raw: str) -> float | None:
    t = _COST_NOISE.sub("", raw.casefold().replace("\u2212", "-"))
    if re.fullmatch(r"-?\d+([.,]\d+)?", t):
        return float(t.replace(",", "."))
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?", t):
        return float(t.replace(".", "").replace(",", "."))
    if re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", t):
        return float(t.replace(",", ""))
    return None


_PEOPLE = re.compile(
    r"(?:ca\.?|cirka|circa|about|approx\.?|~|≈|omkring|runt)?\s*(\d{1,5})"
    r"(?:\s*[-–]\s*(\d{1,5}))?\s*(?:st|personer|pers|people|persons)?\.?"
)


def parse_people(text) -> int | None:
    """About how many people: "5", "ca 5", "5-10" (its middle, rounded up); None if empty."""
    if text is None:
        return None
    if isinstance(text, int) and not isinstance(text, bool):
        value = text
    else:
        raw = str(text).strip()
        if not raw:
            return None
        m = _PEOPLE.fullmatch(raw.casefold())
        if not m:
            raise UsageError(
                f"The number of people {raw!r} is not a number (write e.g. 5 or ca 5)."
            )
        low = int(m.group(1))
        high = int(m.group(2)) if m.group(2) else low
        value = (low + high + 1) // 2 if high >= low else low
    if value < 0 or value > MAX_PEOPLE:
        raise UsageError(f"The number of people must be between 0 and {MAX_PEOPLE:,}.")
    return value


def parse_involved(text, extra: dict[str, str] | None = None) -> str | None:
    if text is None or not str(text).strip():
        return None
    code = involved_value_map(extra).get(_key(text))
    if code is None:
        raise UsageError(
            f"Who was involved: {str(text).strip()!r} is not one of "
            f"{', '.join(INVOLVED)} (or their Swedish words)."
        )
    return code
