"""Every page starts with ``entry.ensure()``: without it, a deep link as a fresh server's first
request would run the page without login or sidebar (see ui/entry.py)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted((ROOT / "pages").glob("*.py"))


def _first_statement_after_imports(path: Path) -> ast.stmt | None:
    body = ast.parse(path.read_text(encoding="utf-8")).body
    for node in body:
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # the module's docstring
        if isinstance(node, ast.Import | ast.ImportFrom):
            continue
        return node
    return None


def test_every_page_file_is_found():
    assert len(PAGES) >= 9, [p.name for p in PAGES]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_the_page_runs_the_entry_first(page):
    first = _first_statement_after_imports(page)
    assert first is not None, f"{page.name} does nothing"
    assert ast.unparse(first) == "entry.ensure()", (
        f"{page.name} starts with {ast.unparse(first)!r}; its first statement after the imports "
        "must be entry.ensure() (see ui/entry.py)"
    )
