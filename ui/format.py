"""Number, date and count formatting in the current language: the one home for them.

Swedish: a (no-break) space between thousands, a decimal comma, "1 händelse" but "2 händelser".
The formatting itself is in ``safetycore.formats`` (pure, shared with charts, exports and the
report); this module only adds the page's language.
"""

from __future__ import annotations

import datetime as dt

from safetycore import formats, texts
from ui.i18n import current_language


def number(value: float | int | None, decimals: int = 0) -> str:
    return formats.number(value, decimals, current_language())


def signed(value: float | int | None, decimals: int = 0) -> str:
    """+3, −2 and 0 for no change (no sign: no change is neither up nor down)."""
    return formats.signed(value, decimals, current_language())


def day(value: dt.date | None) -> str:
    return value.isoformat() if value else "–"


def iso_week(value: dt.date) -> str:
    year, week, _ = value.isocalendar()
    return f"{year}-W{week:02d}"


def plural(key: str, n: float | int, lang: str | None = None, count: str = "n", **values) -> str:
    """The catalogue entry ``key`` for the count ``n`` (see ``safetycore.texts.plural``)."""
    return texts.plural(key, n, lang or current_language(), count, **values)
