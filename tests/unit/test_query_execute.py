"""The statement door (queries.execute): a named .sql file, its parameters checked and bound,
and no SQL left inline in the domain beyond the few statements that cannot be a file."""

from __future__ import annotations

import ast
from pathlib import Path

import duckdb
import pytest

from safetycore import queries

ROOT = Path(__file__).resolve().parents[2]

# Statements that stay inline, each with an "Inline on purpose" comment saying why.
MAX_INLINE = 5


@pytest.fixture
def con():
    con = duckdb.connect()
    con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    yield con
    con.close()


def test_a_write_and_a_read_through_named_files(con):
    queries.execute(con, "db_set_meta_value", key="timezone", value="Europe/Stockholm")
    queries.execute(con, "db_set_meta_value", key="timezone", value="UTC")
    assert queries.execute(con, "db_meta_value", key="timezone").fetchall() == [("UTC",)]
    assert queries.execute(con, "clock_timezone").fetchone() == ("UTC",)


def test_a_missing_parameter_raises_before_anything_runs(con):
    with pytest.raises(TypeError, match="key"):
        queries.execute(con, "db_set_meta_value", value="x")
    assert con.execute("SELECT count(*) FROM meta").fetchone() == (0,)


def test_parameters_the_statement_does_not_name_are_left_out(con):
    queries.execute(con, "db_set_meta_value", key="a", value="1", unused=object())
    assert queries.execute(con, "db_meta_value", key="a").fetchone() == ("1",)


def test_a_name_parameter_reaches_the_statement(con):
    """The query's name is positional only, so a statement may bind $name itself."""
    con.execute("CREATE TABLE area_groups (id VARCHAR, name VARCHAR, population INT, o INT)")
    queries.execute(con, "area_admin_group_insert", id="g", name="Norr", pop=1, order=0)
    assert queries.execute(con, "area_admin_group_name", id="g").fetchone() == ("Norr",)


def test_every_query_file_says_what_it_does():
    bare = [p.name for p in queries.QUERY_DIR.glob("*.sql") if not p.read_text().startswith("--")]
    assert bare == []


def _inline_statements() -> list[tuple[str, int]]:
    found = []
    for path in [*(ROOT / "safetycore").rglob("*.py"), *(ROOT / "ui").rglob("*.py")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("execute", "executemany", "sql")
                and node.args
                and isinstance(node.args[0], ast.Constant | ast.JoinedStr)
            ):
                found.append((str(path.relative_to(ROOT)), node.lineno))
    return found


def test_at_most_a_few_statements_stay_inline_each_with_its_reason():
    found = _inline_statements()
    assert len(found) <= MAX_INLINE, found
    for path, line in found:
        before = (ROOT / path).read_text(encoding="utf-8").splitlines()[max(0, line - 8) : line]
        assert any("Inline on purpose" in text for text in before), (path, line)
