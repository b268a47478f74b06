"""Number formats per language, for pages, charts, exports and the report (no Streamlit).

Swedish writes 1 234 567,5: a narrow no-break space between thousands (it never breaks a number
over two lines) and a decimal comma; English 1,234,567.5. A missing value is "–", never "None"
or "nan". Charts use the same separators (``VEGA_FORMAT_LOCALE``).
"""

from __future__ import annotations

import math

MISSING = "–"
THOUSANDS = {"sv": "\u202f", "en": ","}
DECIMAL = {"sv": ",", "en": "."}


def is_missing(value) -> bool:
    if value is None:
        return True
    try:
        return math.isnan(value)
    except TypeError:  # pandas' NA and NaT, and anything else that is not a number
        return str(value) in {"<NA>", "NaT", "nan", "None"}


def number(value, decimals: int = 0, lang: str = "sv") -> str:
    """``value`` with thousands separated and ``decimals`` places, in ``lang``'s style."""
    if is_missing(value):
        return MISSING
    text = f"{float(value):,.{decimals}f}" if decimals else f"{round(float(value)):,d}"
    if lang == "sv":
        text = (
            text.replace(",", "\x00").replace(".", DECIMAL["sv"]).replace("\x00", THOUSANDS["sv"])
        )
    return text


def signed(value, decimals: int = 0, lang: str = "sv") -> str:
    """A change: +3 or −2, and 0 without a sign (no change is neither up nor down)."""
    if is_missing(value):
        return MISSING
    if round(float(value), decimals) == 0:
        return number(0, decimals, lang)
    text = number(value, decimals, lang)
    return text if text.startswith("-") else "+" + text


def plural_form(n) -> str:
    """'zero', 'one' or 'other': the grammatical form Swedish and English use for ``n``."""
    if is_missing(n):
        return "other"
    if n == 0:
        return "zero"
    return "one" if n == 1 else "other"


# Vega-Lite's format locale (``config.locale``): the same separators in charts as in the tables,
# and Swedish month and day names on time axes. Swedish writes both in lower case.
VEGA_FORMAT_LOCALE = {
    "sv": {
        "number": {
            "decimal": DECIMAL["sv"],
            "thousands": THOUSANDS["sv"],
            "grouping": [3],
            "currency": ["", "\u00a0kr"],
            "minus": "-",
        },
        "time": {
            "dateTime": "%A %e %B %Y %H:%M:%S",
            "date": "%Y-%m-%d",
            "time": "%H:%M:%S",
            "periods": ["fm", "em"],
            "days": ["söndag", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag"],
            "shortDays": ["sön", "mån", "tis", "ons", "tor", "fre", "lör"],
            "months": [
                "januari",
                "februari",
                "mars",
                "april",
                "maj",
                "juni",
                "juli",
                "augusti",
                "september",
                "oktober",
                "november",
                "december",
            ],
            "shortMonths": [
                "jan",
                "feb",
                "mar",
                "apr",
                "maj",
                "jun",
                "jul",
                "aug",
                "sep",
                "okt",
                "nov",
                "dec",
            ],
        },
    },
    "en": {
        "number": {
            "decimal": DECIMAL["en"],
            "thousands": THOUSANDS["en"],
            "grouping": [3],
            "currency": ["£", ""],
            "minus": "-",
        },
        "time": {
            "dateTime": "%a %e %b %Y %H:%M:%S",
            "date": "%Y-%m-%d",
            "time": "%H:%M:%S",
            "periods": ["AM", "PM"],
            "days": ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
            "shortDays": ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
            "months": [
                "January",
                "February",
                "March",
                "April",
                "May",
                "June",
                "July",
                "August",
                "September",
                "October",
                "November",
                "December",
            ],
            "shortMonths": [
                "Jan",
                "Feb",
                "Mar",
                "Apr",
                "May",
                "Jun",
                "Jul",
                "Aug",
                "Sep",
                "Oct",
                "Nov",
                "Dec",
            ],
        },
    },
}


def with_vega_locale(spec: dict, lang: str = "sv") -> dict:
    """``spec`` (a Vega-Lite dict) with the language's number and time format locale."""
    config = dict(spec.get("config") or {})
    config["locale"] = VEGA_FORMAT_LOCALE.get(lang, VEGA_FORMAT_LOCALE["sv"])
    return {**spec, "config": config}
