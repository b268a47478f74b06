"""The label catalogue: every user-facing text, in Swedish (default) and English.

The catalogue is one dictionary, kept in ``ui/labels/*.toml`` (one file per part of the app so
each stays readable). Each entry is a table with ``sv`` and ``en``; a missing translation
falls back to Swedish, a missing key shows the key so it is noticed.
"""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path

import streamlit as st

LABEL_DIR = Path(__file__).resolve().parent / "labels"
LANGUAGES = ("sv", "en")
LANGUAGE_NAMES = {"sv": "Svenska", "en": "English"}


@functools.cache
def catalogue() -> dict[str, dict[str, str]]:
    entries: dict[str, dict[str, str]] = {}
    for path in sorted(LABEL_DIR.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        _flatten(data, "", entries, path.name)
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


def current_language() -> str:
    lang = st.session_state.get("lang")
    if lang is None:
        # Before the language widget has run in this session (the first run of a shared
        # link), the address bar already says which language: the navigation is drawn first.
        by_name = {name: code for code, name in LANGUAGE_NAMES.items()}
        lang = by_name.get(st.query_params.get("lang", ""), "sv")
    return lang if lang in LANGUAGES else "sv"


def t(key: str, lang: str | None = None, **values) -> str:
    entry = catalogue().get(key)
    if entry is None:
        return key
    text = entry.get(lang or current_language()) or entry["sv"]
    return text.format(**values) if values else text
