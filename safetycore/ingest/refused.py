"""The rows an import refused (rejected or skipped): stored masked, shown to few.

A refused row keeps its original cells (``raw``, as a JSON object, at most ``RAW_MAX_CHARS``)
so the person who imported the file can see what was wrong and fix it. That text is the file's
own, so it goes through the privacy scrubber before it is stored, like every other free text;
so does the reason (which may quote a cell, "outside_areas: <what the file said>").

Who sees what (``visibility``):

- The roles that may import (``import_data``) see the rows and may download them, except the
  rows in a sensitive category when their role may not see sensitive categories: those are
  counted, not shown.
- Everyone else (a viewer, a reporter, the read-only screen) sees how many rows were refused
  and why, never a row's content.

Building the raw text is linear in the cells: a row of 20,000 columns takes milliseconds.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from safetycore import export, privacy, queries
from safetycore.access import AccessDenied, Actor

RAW_MAX_CHARS = 2000  # stored
# What is read of a raw text: the stored length and a margin, scrubbed before the text is cut,
# so that a number or an address across the limit is masked whole (an e-mail address has at
# most 254 characters).
RAW_READ_CHARS = RAW_MAX_CHARS + 320


def bounded(text: str | None) -> str | None:
    """The part of a raw text that is scrubbed and then cut to ``RAW_MAX_CHARS``."""
    return None if text is None else text[:RAW_READ_CHARS]


def raw_from_frame(frame: pd.DataFrame) -> Callable[[np.ndarray], list[str]]:
    """Raw text of rows of a table, as a JSON object (column -> value).

    Linear in the cells: each row's parts are joined once, and a row stops growing once it
    is longer than what is kept."""
    columns = list(frame.columns)
    keys = [json.dumps(str(c), ensure_ascii=False) + ": " for c in columns]
    limit = RAW_READ_CHARS

    def raw(positions: np.ndarray) -> list[str]:
        rows = frame.iloc[np.asarray(positions, dtype=np.int64)]
        n = len(rows)
        parts: list[list[str]] = [[] for _ in range(n)]
        sizes = np.ones(n, dtype=np.int64)
        growing = np.arange(n)  # the rows still shorter than what is kept
        for j, key in enumerate(keys):
            if not len(growing):
                break  # every row is full: the other columns are not read at all
            # A column's values masked together, each distinct one once (the rows' joined
            # texts, with their row numbers, are all distinct); ``store`` masks the whole again.
            values = privacy.mask_series(rows.iloc[growing, j].astype(object))
            for i, value in zip(growing, values.to_numpy(dtype=object), strict=True):
                cell = key + (
                    "null" if value is None else json.dumps(str(value), ensure_ascii=False)
                )
                parts[i].append(cell)
                sizes[i] += len(cell) + 2
            growing = growing[sizes[growing] <= limit]
        return ["{" + ", ".join(p) + "}" for p in parts]

    return raw


def store(cur, batch_id: int, refused: dict, raws: Sequence[str | None]) -> None:
    """Write the refused rows of a batch, masked, with their category's sensitivity.

    ``refused`` holds the arrays ``row_no``, ``outcome``, ``reason`` and ``category`` (the
    category decided for the row, None when it had none) in the order of ``raws``."""
    n = len(raws)
    if not n:
        return
    raw = privacy.mask_series(pd.Series([bounded(r) for r in raws], dtype=object))
    raw = raw.map(lambda t: t if t is None else t[:RAW_MAX_CHARS])
    reason = privacy.mask_series(pd.Series(np.asarray(refused["reason"], dtype=object)))
    cur.register(
        "_refused_rows",
        pd.DataFrame(
            {
                "row_number": np.asarray(refused["row_no"], dtype=np.int64),
                "outcome": pd.Series(np.asarray(refused["outcome"], dtype=object), dtype=object),
                "reason": reason.to_numpy(dtype=object),
                "raw": raw.to_numpy(dtype=object),
                "category": pd.Series(np.asarray(refused["category"], dtype=object), dtype=object),
            }
        ),
    )
    try:
        queries.execute(cur, "ingest_refused_insert", batch=batch_id)
    finally:
        cur.unregister("_refused_rows")


# --- who sees what ---


@dataclass(frozen=True)
class Visibility:
    rows: bool  # the rows' content (the table and the download)
    sensitive: bool  # rows in sensitive categories too


def visibility(actor: Actor) -> Visibility:
    may = actor.can("import_data")
    return Visibility(rows=may, sensitive=may and actor.sees_sensitive)


@dataclass(frozen=True)
class RefusedView:
    """What a role may see of one batch's refused rows."""

    reasons: pd.DataFrame  # outcome, reason (the code), n: every refused row counted
    rows: pd.DataFrame | None  # row_number, outcome, reason, raw; None: not for this role
    hidden_sensitive: int  # rows in sensitive categories left out of ``rows``
    total: int

    @property
    def may_download(self) -> bool:
        return self.rows is not None


def _frame(con, name: str, **params) -> pd.DataFrame:

    sql, bound = queries.bind(name, **params)
    cur = con.cursor()
    try:
        return cur.execute(sql, bound).df()
    finally:
        cur.close()


def view(con, actor: Actor, batch_id: int, limit: int = 1000) -> RefusedView:
    """The refused rows of a batch as ``actor`` may see them (at most ``limit`` rows)."""
    seen = visibility(actor)
    reasons = _frame(con, "data_reasons", batch=int(batch_id))
    total = int(reasons["n"].sum()) if len(reasons) else 0
    if not seen.rows:
        return RefusedView(reasons=reasons, rows=None, hidden_sensitive=0, total=total)
    rows = _frame(
        con, "data_refused_rows", batch=int(batch_id), limit=int(limit), sensitive=seen.sensitive
    )
    hidden = 0
    if not seen.sensitive:
        hidden = int(_frame(con, "data_refused_sensitive", batch=int(batch_id))["n"].iloc[0])
    return RefusedView(reasons=reasons, rows=rows, hidden_sensitive=hidden, total=total)


def rows_csv(con, actor: Actor, batch_id: int) -> bytes:
    """Every refused row of a batch the actor may see, with outcome and reason, as CSV for
    Swedish Excel, cells that would run as formulas neutralised (refused rows are whatever a
    file held). AccessDenied for the roles that may not import."""
    seen = visibility(actor)
    if not seen.rows:
        raise AccessDenied(f"The role {actor.role!r} may not see the content of refused rows.")
    frame = _frame(con, "data_refused_all", batch=int(batch_id), sensitive=seen.sensitive)
    return export.to_csv(frame)
