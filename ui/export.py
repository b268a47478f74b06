"""CSV downloads of exactly what a page shows: the aggregates, and the events behind them.

Files are UTF-8 with a byte-order mark so Excel opens Swedish letters correctly.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st


def to_csv(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode("utf-8-sig")


def csv_download(frame: pd.DataFrame | Callable[[], pd.DataFrame], file_name: str, label: str,
                 key: str) -> None:
    """A download button for ``frame`` as CSV.

    ``frame`` may be a function returning the frame: it then runs only when the button is
    clicked (use that for the events behind a view, which cost a query).
    """
    data = (lambda: to_csv(frame())) if callable(frame) else to_csv(frame)
    st.download_button(label, data=data, file_name=file_name, mime="text/csv", key=key,
                       icon=":material/download:", on_click="ignore")
