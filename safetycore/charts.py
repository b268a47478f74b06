"""Altair charts built from small aggregate DataFrames. Pure functions: no Streamlit, no I/O.

Every function takes the texts it shows (titles, legend labels) as arguments, so the caller's
language catalogue decides them.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

KIND_COLOURS = {"incident": "#c0392b", "qol": "#2471a3"}
FONT_SIZE = 14


def _style(chart: alt.Chart, height: int) -> alt.Chart:
    return (
        chart.properties(height=height, width="container")
        .configure_axis(labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE)
        .configure_legend(labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE, orient="top")
    )


def weekly_by_kind(frame: pd.DataFrame, *, kind_labels: dict[str, str], week_title: str,
                   count_title: str, kind_title: str, height: int = 320) -> alt.Chart:
    """Weekly counts, one line per kind. ``frame`` has columns week, kind, n."""
    data = frame.assign(kind_label=frame["kind"].map(kind_labels))
    colour = alt.Color(
        "kind_label:N", title=kind_title,
        scale=alt.Scale(domain=[kind_labels[k] for k in KIND_COLOURS],
                        range=list(KIND_COLOURS.values())),
    )
    chart = (
        alt.Chart(data)
        .mark_line(point=True, strokeWidth=2.5)
        .encode(
            x=alt.X("week:T", title=week_title, axis=alt.Axis(format="%Y-%m-%d")),
            y=alt.Y("n:Q", title=count_title),
            color=colour,
            tooltip=[alt.Tooltip("week:T", title=week_title, format="%G-W%V"),
                     alt.Tooltip("kind_label:N", title=kind_title),
                     alt.Tooltip("n:Q", title=count_title)],
        )
    )
    return _style(chart, height)


def bars(frame: pd.DataFrame, *, category: str, value: str, category_title: str,
         value_title: str, colour: str = "#2471a3", height: int = 320) -> alt.Chart:
    """Horizontal bars, largest first."""
    chart = (
        alt.Chart(frame)
        .mark_bar(color=colour)
        .encode(
            y=alt.Y(f"{category}:N", title=category_title, sort="-x"),
            x=alt.X(f"{value}:Q", title=value_title),
            tooltip=[alt.Tooltip(f"{category}:N", title=category_title),
                     alt.Tooltip(f"{value}:Q", title=value_title)],
        )
    )
    return _style(chart, height)
