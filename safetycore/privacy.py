"""Personal data in free text: find and mask personal identity numbers, phone numbers, names.

No personal identity number (personnummer, samordningsnummer) or phone number is stored; free
text is scrubbed on the way in (the observation form and every import). Names are found by a
heuristic (a known Swedish first name followed by a capitalised word, or a title such as
"herr"); it errs on the side of masking.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

MASK = {"pnr": "[personnummer]", "phone": "[telefonnummer]", "name": "[namn]"}

# 19850412-1234, 850412-1234, 8504121234, 850412+1234 (over 100); samordningsnummer have day+60.
# Ten digits starting 07 without a separator (0701234567) are a mobile number, not someone
# born in 2007.
_PNR = re.compile(
    r"(?<![\d-])(?!07\d{8}(?!\d))"
    r"(?:19|20)?\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]|6[1-9]|[78]\d|9[01])"
    r"[-+ ]?\d{4}(?!\d)"
)
# Swedish numbers: 070-123 45 67, 0701234567, +46 70 123 45 67, 08-123 456 78, 0046 ...
_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)46[\s-]?\(?0?\)?|0)[1-9]\d{0,2}[\s-]?\d{2,3}(?:[\s-]?\d{2,3}){1,3}(?!\d)"
)
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
_CAP = r"[A-ZÅÄÖÉ][a-zåäöéü]+(?:-[A-ZÅÄÖÉ][a-zåäöéü]+)?"
_NAME = re.compile(
    r"\b(?:(?:" + "|".join(_FIRST_NAMES) + r")(?:\s+" + _CAP + r")+"
    r"|(?:[Hh]err|[Ff]ru|[Ee]leven|[Ee]lev|[Mm]amma|[Pp]appa|[Hh]eter|[Hh]ette|[Nn]amnet)\s+" + _CAP
    + r"(?:\s+" + _CAP + r")?)\b"
)
_TITLE_WORDS = re.compile(
    r"^(?:[Hh]err|[Ff]ru|[Ee]leven|[Ee]lev|[Mm]amma|[Pp]appa|[Hh]eter|[Hh]ette|[Nn]amnet)\s+"
)


@dataclass(frozen=True)
class Finding:
    kind: str  # pnr | phone | name
    start: int
    end: int


def find(text: str | None) -> list[Finding]:
    """Personal data found in ``text``, in order, without overlaps."""
    if not text:
        return []
    found: list[Finding] = []
    for kind, pattern in (("pnr", _PNR), ("phone", _PHONE), ("name", _NAME)):
        for m in pattern.finditer(text):
            start = m.start()
            if kind == "name":
                title = _TITLE_WORDS.match(m.group(0))
                if title:
                    start += title.end()
            if any(f.start < m.end() and start < f.end for f in found):
                continue
            found.append(Finding(kind, start, m.end()))
    return sorted(found, key=lambda f: f.start)


def kinds_found(text: str | None) -> set[str]:
    return {f.kind for f in find(text)}


def mask(text: str | None) -> str | None:
    """The text with every finding replaced by a marker such as ``[personnummer]``."""
    if not text:
        return text
    out = []
    last = 0
    for f in find(text):
        out.append(text[last:f.start])
        out.append(MASK[f.kind])
        last = f.end
    out.append(text[last:])
    return "".join(out)


def mask_series(values: pd.Series) -> pd.Series:
    """``mask`` over a column: each distinct text is scrubbed once (imports repeat texts)."""
    codes, uniques = pd.factorize(values.astype(object), use_na_sentinel=True)
    if len(uniques) == 0:
        return pd.Series(values, dtype="string")
    text = pd.Series(uniques, dtype="string")
    text = text.str.replace(_PNR, MASK["pnr"], regex=True)
    text = text.str.replace(_PHONE, MASK["phone"], regex=True)
    candidates = text.str.contains(_NAME, regex=True, na=False)
    if candidates.any():
        text.loc[candidates] = text.loc[candidates].map(mask)
    masked = text.to_numpy(dtype=object)
    out = np.full(len(values), None, dtype=object)
    present = codes >= 0
    out[present] = masked[codes[present]]
    return pd.Series(out, index=values.index, dtype="string")
