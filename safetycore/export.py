"""Tables as files a Swedish office opens as they are: CSV for Excel with Swedish settings, XLSX.

CSV: UTF-8 with a byte-order mark (so Excel reads å, ä, ö), ``;`` between fields and a decimal
comma, which is what Excel expects where the decimal separator is a comma; times as
``YYYY-MM-DD HH:MM:SS``, empty cells empty. XLSX: numbers stay numbers and times times, with a
bold header row.

Cells are neutralised against formula injection: a text cell that a spreadsheet would read as a
formula or a command (one that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return)
gets a leading apostrophe in CSV, and in XLSX is stored as text (never as a formula). Imported
rows and free text reach exports, so a file of refused rows cannot run anything when opened.
"""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd

FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
CSV_SEPARATOR = ";"
CSV_DECIMAL = ","
CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def neutralise(value):
    """``value``, with a leading apostrophe when it is text a spreadsheet would run."""
    if isinstance(value, str) and value.startswith(FORMULA_LEADS):
        return "'" + value
    return value


def _text_columns(frame: pd.DataFrame) -> list:
    return [
        c
        for c in frame.columns
        if not (
            pd.api.types.is_numeric_dtype(frame[c])
            or pd.api.types.is_datetime64_any_dtype(frame[c])
            or pd.api.types.is_bool_dtype(frame[c])
        )
    ]


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell (and text column name) neutralised."""
    out = frame.copy()
    for column in _text_columns(out):
        out[column] = out[column].map(neutralise, na_action="ignore")
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def to_csv(frame: pd.DataFrame) -> bytes:
    """CSV for Excel with Swedish settings: ``;``, decimal comma, UTF-8 with BOM."""
    text = safe_frame(frame).to_csv(
        index=False,
        sep=CSV_SEPARATOR,
        decimal=CSV_DECIMAL,
        date_format=TIME_FORMAT,
        lineterminator="\r\n",
    )
    return text.encode("utf-8-sig")


def _cell_value(value):
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().replace(tzinfo=None)
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return value.item()
    return value


def to_xlsx(frame: pd.DataFrame, sheet: str = "Data") -> bytes:
    """An XLSX workbook of one sheet: the header in bold, text always stored as text."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    ws = book.create_sheet(sheet[:31])
    bold = Font(bold=True)

    def cell(value, header: bool = False):
        c = WriteOnlyCell(ws, value=_cell_value(value))
        if isinstance(c.value, str):
            c.data_type = "s"  # never a formula, whatever the text begins with
        elif isinstance(c.value, dt.datetime):
            c.number_format = "yyyy-mm-dd hh:mm"
        elif isinstance(c.value, dt.date):
            c.number_format = "yyyy-mm-dd"
        if header:
            c.font = bold
        return c

    ws.append([cell(str(c), header=True) for c in frame.columns])
    for row in frame.itertuples(index=False, name=None):
        ws.append([cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def file_bytes(frame: pd.DataFrame, fmt: str) -> bytes:
    if fmt == "csv":
        return to_csv(frame)
    if fmt == "xlsx":
        return to_xlsx(frame)
    raise ValueError(f"Unknown export format {fmt!r}: use csv or xlsx.")
