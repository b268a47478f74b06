"""Every query a page or the domain names exists as a .sql file, and every .sql file is used:
a typo in a query name fails here, not on a user's screen."""

from __future__ import annotations

import re
from pathlib import Path

from safetycore.queries import QUERY_DIR

ROOT = Path(__file__).resolve().parents[2]
# query("name" / keyed_query("name" / queries.run(con, "name" / queries.bind("name" / run_timed…
# and the statements: queries.execute(cur, "name" / area_admin's _one(cur, "name"
_NAMED = re.compile(
    r"""\b(?:query|keyed_query|run|bind|load|run_timed|execute|_one)\(\s*(?:[a-z_.]+,\s*)?"""
    r"""["']([a-z][a-z0-9_]*)["']"""
)
_ANY_LITERAL = re.compile(r"""["']([a-z][a-z0-9_]*)["']""")


def _sources() -> dict[Path, str]:
    paths = [
        p
        for folder in ("safetycore", "ui", "pages", "benchmarks")
        for p in (ROOT / folder).rglob("*.py")
    ]
    return {p: p.read_text(encoding="utf-8") for p in [*paths, ROOT / "dashboard.py"]}


def _sql_names() -> set[str]:
    return {p.stem for p in QUERY_DIR.glob("*.sql")}


def test_every_query_named_in_the_code_exists():
    names = _sql_names()
    missing = {
        (str(path.relative_to(ROOT)), name)
        for path, text in _sources().items()
        for name in _NAMED.findall(text)
        if name not in names and name != "name"
    }  # "name": the docstring's example
    assert missing == set()


def test_every_query_file_is_used():
    literals = {name for text in _sources().values() for name in _ANY_LITERAL.findall(text)}
    unused = _sql_names() - literals
    assert unused == set(), "queries no code names: remove them or use them"


def test_the_statements_are_named_in_the_code():
    """The statement door is read too: a name given to queries.execute is one of the files."""
    text = (ROOT / "safetycore" / "actions.py").read_text(encoding="utf-8")
    assert "actions_insert" in _NAMED.findall(text)
    assert "area_admin_group_insert" in _NAMED.findall(
        (ROOT / "safetycore" / "area_admin.py").read_text(encoding="utf-8")
    )
