"""Every text a user reads: the label catalogue in Swedish (the default) and English, its
lookup and its plurals. Pages, the report, e-mails and the command line all read it here;
``ui.i18n`` only adds the page's language. Numbers and dates: ``safetycore.formats``.

The catalogue is one dictionary, kept in ``safetycore/labels/*.toml`` (one file per part of
the app so each stays readable). Each entry is a table with ``sv`` and ``en``; a missing
translation falls back to Swedish, a missing key shows the key so it is noticed. An entry
may have ``sv_one`` / ``en_one`` for exactly one and ``sv_zero`` / ``en_zero`` for none
("1 dag", "2 dagar", "inga händelser").
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Callable
from pathlib import Path

from safetycore import formats

LABEL_DIR = Path(__file__).resolve().parent / "labels"
LANGUAGES = ("sv", "en")
LANGUAGE_NAMES = {"sv": "Svenska", "en": "English"}


@functools.cache
def catalogue() -> dict[str, dict[str, str]]:
    """Every entry by its dotted key (``trends.no_data``)."""
    entries: dict[str, dict[str, str]] = {}
    for path in sorted(LABEL_DIR.glob("*.toml")):
        _flatten(tomllib.loads(path.read_text(encoding="utf-8")), "", entries, path.name)
    return entries


def _flatten(node: dict, prefix: str, out: dict, origin: str) -> None:
    for key, value in node.items():
        full = f"{prefix}{key}"
        if isinstance(value, dict) and "sv" in value and isinstance(value["sv"], str):
            if full in out:
                raise ValueError(f"Label {full} is defined twice (second time in {origin})")
            out[full] = value
        elif isinstance(value, dict):
            _flatten(value, f"{full}.", out, origin)


def text(key: str, lang: str, **values) -> str:
    """The entry ``key`` in ``lang`` with its ``{placeholders}`` filled."""
    entry = catalogue().get(key)
    if entry is None:
        return key
    found = entry.get(lang) or entry["sv"]
    return found.format(**values) if values else found


def plural(key: str, n: float | int, lang: str, count: str = "n", **values) -> str:
    """The entry ``key`` in the form for the count ``n``, which fills ``{<count>}`` in
    ``lang``'s number format."""
    entry = catalogue().get(key)
    if entry is None:
        return key
    form = formats.plural_form(n)
    found = entry.get(f"{lang}_{form}") or entry.get(lang) or entry.get(f"sv_{form}") or entry["sv"]
    return found.format(**{count: formats.number(n, 0, lang)}, **values)


def translator(lang: str) -> Callable[..., str]:
    """``t(key, **values)`` in one language, for code that renders for someone else (the
    report, an e-mail) rather than for the page's viewer."""

    def t(key: str, **values) -> str:
        return text(key, lang, **values)

    return t
