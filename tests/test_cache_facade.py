"""Cached results have one door, ``ui/cache.py``: the entry script, the pages and the ui
modules take them from there, never from the modules beneath it.

``ui.data`` holds the connection and the data version. Of it, callers may use only the
connection (``con``, ``connection``, ``db_path``: for writes, uncached reads and the server's
jobs) and the start of a run (``start_run``); everything cached comes through the façade,
which adds the version, the path and the language to the keys itself.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FACADE = "ui.cache"
BENEATH = "ui.data"  # what the façade builds on
ALLOWED_BENEATH = {"con", "connection", "db_path", "start_run"}


def _callers() -> list[Path]:
    """The entry script, every page and every ui module but the façade and what it builds on."""
    beneath = {ROOT / "ui" / "cache.py", ROOT / "ui" / "data.py"}
    files = [ROOT / "dashboard.py", *sorted((ROOT / "pages").glob("*.py"))]
    return files + [p for p in sorted((ROOT / "ui").glob("*.py")) if p not in beneath]


def _names_used_from(tree: ast.AST, module: str) -> list[tuple[int, str]]:
    """Each name a file takes from ``module``: ``from module import x``, or ``alias.x`` for
    ``import module as alias`` / ``from package import module [as alias]``."""
    package, _, leaf = module.rpartition(".")
    aliases: set[str] = set()
    used: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0:
            if node.module == module:
                used += [(node.lineno, a.name) for a in node.names]
            elif node.module == package:
                aliases |= {a.asname or a.name for a in node.names if a.name == leaf}
        elif isinstance(node, ast.Import):
            aliases |= {a.asname for a in node.names if a.name == module and a.asname}
            if any(a.name == module and not a.asname for a in node.names):
                aliases.add(module)  # used as ui.data.x
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            owner = ast.unparse(node.value)
            if owner in aliases:
                used.append((node.lineno, node.attr))
    return used


def _offences(where: str, source: str) -> list[str]:
    tree = ast.parse(source)
    found = [
        f"{where}:{line}: {BENEATH}.{name}"
        for line, name in _names_used_from(tree, BENEATH)
        if name not in ALLOWED_BENEATH
    ]
    for node in ast.walk(tree):  # the old home of the chart and map caches is gone
        if isinstance(node, ast.ImportFrom) and node.module in ("ui.render",):
            found.append(f"{where}:{node.lineno}: ui.render")
        if isinstance(node, ast.ImportFrom) and node.module == "ui":
            found += [f"{where}:{node.lineno}: ui.render" for a in node.names if a.name == "render"]
    return found


def test_callers_take_cached_results_only_from_the_facade():
    offences = [
        o
        for path in _callers()
        for o in _offences(str(path.relative_to(ROOT)), path.read_text(encoding="utf-8"))
    ]
    assert offences == [], "cached results come from ui.cache:\n" + "\n".join(offences)


def test_the_facade_is_used():
    users = [p for p in _callers() if _names_used_from(ast.parse(p.read_text()), FACADE)]
    assert len(users) > 10


@pytest.mark.parametrize(
    "source",
    [
        "from ui import data\ndata.query('x')",
        "from ui import data as d\nd.derived(f)",
        "from ui.data import keyed_query",
        "import ui.data\nui.data.meta()",
        "from ui import render",
    ],
)
def test_a_way_around_is_seen(source):
    assert _offences("pages/x.py", source) != []


def test_writes_may_take_the_connection():
    tree = ast.parse("from ui import data\ndata.con().cursor()\ndata.start_run()")
    assert [n for _, n in _names_used_from(tree, BENEATH) if n not in ALLOWED_BENEATH] == []
