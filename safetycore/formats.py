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
        text = text.replace(",", "\x00").replace(".", DECIMAL["sv"]).replace(
            "\x00", THOUSANDS["sv"])
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
