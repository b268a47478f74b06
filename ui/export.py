"""Downloads of exactly what a page shows: the aggregates, and the events behind them.

One button per table opens the choice of file: CSV for Excel with Swedish settings or XLSX
(both made by ``safetycore.export``, which also neutralises cells that would run as formulas).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePosixPath

import pandas as pd
import streamlit as st

from safetycore import export
from ui.i18n import t

FrameOrMaker = pd.DataFrame | Callable[[], pd.DataFrame]


def _maker(frame: FrameOrMaker, fmt: str) -> Callable[[], bytes]:
    def make() -> bytes:
        return export.file_bytes(frame() if callable(frame) else frame, fmt)

    return make


def download(frame: FrameOrMaker, file_name: str, label: str, key: str) -> None:
    """A download button for ``frame``: a CSV or an XLSX file, chosen in a small menu.

    ``frame`` may be a function returning the frame: it then runs only when a file is asked for
    (use that for the events behind a view, which cost a query).
    """
    stem = PurePosixPath(file_name).stem
    with st.popover(label, icon=":material/download:"):
        st.download_button(
            t("export.csv"),
            data=_maker(frame, "csv"),
            file_name=f"{stem}.csv",
            mime=export.CSV_MIME,
            key=f"{key}-csv",
            on_click="ignore",
            width="stretch",
            help=t("export.csv_help"),
        )
        st.download_button(
            t("export.xlsx"),
            data=_maker(frame, "xlsx"),
            file_name=f"{stem}.xlsx",
            mime=export.XLSX_MIME,
            key=f"{key}-xlsx",
            on_click="ignore",
            width="stretch",
        )


def csv_download(frame: FrameOrMaker, file_name: str, label: str, key: str) -> None:
    """The download of ``frame`` (CSV or XLSX): the name pages have used for it."""
    download(frame, file_name, label, key)
