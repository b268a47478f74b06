"""Number and date formatting in the current language."""

from __future__ import annotations

import datetime as dt

from ui.i18n import current_language


def number(value: float | int | None, decimals: int = 0) -> str:
    if value is None:
        return "–"
    text = f"{value:,.{decimals}f}"
    if current_language() == "sv":  # Swedish: thin space for thousands, comma for decimals
        text = text.replace(",", "\u202f").replace(".", ",")
    return text


def day(value: dt.date | None) -> str:
    return value.isoformat() if value else "–"


def iso_week(value: dt.date) -> str:
    year, week, _ = value.isocalendar()
    return f"{year}-W{week:02d}"
