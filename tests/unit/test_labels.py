"""The label catalogue is complete: every text the code asks for exists, in both languages."""

from __future__ import annotations

import re
from pathlib import Path

from ui.i18n import LANGUAGES, catalogue

ROOT = Path(__file__).resolve().parents[2]
# t("section.key") and tn("section.key", …) with a literal key
_LITERAL_KEY = re.compile(r"""\btn?\(\s*["']([a-z_][a-z0-9_]*(?:\.[a-z0-9_]+)+)["']""")


def _keys_used_in_code() -> dict[str, str]:
    used = {}
    for folder in ("pages", "ui"):
        for path in (ROOT / folder).rglob("*.py"):
            for key in _LITERAL_KEY.findall(path.read_text(encoding="utf-8")):
                used.setdefault(key, str(path.relative_to(ROOT)))
    for key in _LITERAL_KEY.findall((ROOT / "dashboard.py").read_text(encoding="utf-8")):
        used.setdefault(key, "dashboard.py")
    return used


def test_every_key_used_in_the_code_is_in_the_catalogue():
    entries = catalogue()
    missing = {key: where for key, where in _keys_used_in_code().items() if key not in entries}
    assert missing == {}, "texts shown as bare keys: add them to safetycore/labels/*.toml"


def test_every_label_has_every_language():
    incomplete = [
        key
        for key, entry in catalogue().items()
        if any(not isinstance(entry.get(lang), str) or not entry[lang] for lang in LANGUAGES)
    ]
    assert incomplete == []
