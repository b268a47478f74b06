"""Session-state keys are named, not spelled: no page or ui module reads or writes
``st.session_state`` with a string literal, so every key can be found from its constant
(``ui/state_keys.py`` for the shared ones, the section module's own constants otherwise)."""

from __future__ import annotations

import ast
from pathlib import Path

from ui import state_keys

ROOT = Path(__file__).resolve().parent.parent


def _is_session_state(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "session_state"


def _literal_uses(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Subscript) and _is_session_state(node.value):
            key = node.slice
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("get", "pop", "setdefault")
            and _is_session_state(node.func.value)
            and node.args
        ):
            key = node.args[0]
        else:
            continue
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} {key.value!r}")
    return found


def test_no_session_key_is_a_bare_string():
    files = [ROOT / "dashboard.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "ui").rglob("*.py")]
    spelled = [use for path in files for use in _literal_uses(path)]
    assert spelled == [], "name these keys in ui/state_keys.py or the module's constants"


def test_shared_keys_are_distinct():
    values = [v for k, v in vars(state_keys).items() if k.isupper()]
    assert len(values) == len(set(values)) >= 8
