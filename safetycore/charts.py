"""Altair charts built from small aggregate DataFrames. Pure functions: no Streamlit, no I/O.

Every function takes the texts it shows (titles, legend labels) as arguments, so the caller's
language catalogue decides them.
"""

from __future__ import annotations

from typing import Any, TypeVar

import altair as alt
import pandas as pd

from safetycore import palette

KIND_COLOURS = palette.KIND
FONT_SIZE = 14


ChartT = TypeVar("ChartT", alt.Chart, alt.LayerChart)


def _style(chart: ChartT, height: int) -> ChartT:
    return (
        chart.properties(height=height, width="container")
        .configure_axis(labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE)
        .configure_legend(labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE, orient="top")
    )


def _period_labels(buckets: pd.Series, time_format: str) -> pd.Series:
    return pd.to_datetime(buckets).dt.strftime(time_format)


def series_over_time(
    frame: pd.DataFrame,
    *,
    time_title: str,
    count_title: str,
    series_title: str,
    rolling_title: str,
    last_year_title: str,
    partial_title: str,
    time_format: str = "%G-W%V",
    colours: dict[str, str] | None = None,
    show_last_year: bool = True,
    height: int = 380,
) -> alt.LayerChart:
    """Counts per week or month, one line per series, with a rolling mean (wide, faint) and
    last year's count (dotted). Partial buckets at the period's edges are drawn as hollow
    points so they do not read as drops.

    ``frame`` has columns bucket (date), label (series label), n, rolling, n_last_year,
    partial (bool). The time axis is ordinal (one slot per week or month, labelled with
    ``time_format``, a strftime pattern), so ISO weeks are labelled exactly.
    """
    data = frame.assign(
        period=_period_labels(frame["bucket"], time_format),
        partial_text=frame["partial"].map({True: partial_title, False: ""}),
    )
    order = sorted(data["period"].unique())
    scale = (
        alt.Scale(domain=list(colours), range=list(colours.values())) if colours else alt.Undefined
    )
    colour = alt.Color(
        "label:N",
        title=series_title,
        scale=scale,
        legend=alt.Legend(
            orient="top",
            columns=6,
            labelLimit=260,
            symbolOpacity=1,
            symbolType="stroke",
            symbolStrokeWidth=4,
        ),
    )
    x = alt.X(
        "period:O",
        title=time_title,
        sort=order,
        axis=alt.Axis(labelAngle=0 if len(order) <= 16 else -45, labelOverlap="greedy"),
    )
    tooltip = [
        alt.Tooltip("period:O", title=time_title),
        alt.Tooltip("label:N", title=series_title),
        alt.Tooltip("n:Q", title=count_title),
        alt.Tooltip("rolling:Q", title=rolling_title, format=".1f"),
        alt.Tooltip("n_last_year:Q", title=last_year_title),
        alt.Tooltip("partial_text:N", title=" "),
    ]
    # Clicking a legend entry highlights that series (useful when split by category).
    pick = alt.selection_point(fields=["label"], bind="legend")

    def faded(strength: float) -> Any:  # an Altair condition
        return alt.condition(pick, alt.value(strength), alt.value(0.08))

    base = alt.Chart(data).encode(x=x, color=colour)
    layers = [
        base.mark_line(strokeWidth=2.5)
        .encode(y=alt.Y("n:Q", title=count_title), opacity=faded(1.0))
        .add_params(pick),
        base.mark_line(strokeWidth=7).encode(y="rolling:Q", opacity=faded(0.25)),
        base.mark_point(size=80, filled=True)
        .encode(y="n:Q", tooltip=tooltip, opacity=faded(1.0))
        .transform_filter("!datum.partial"),
        base.mark_point(size=110, filled=False, strokeWidth=2.5)
        .encode(y="n:Q", tooltip=tooltip, opacity=faded(1.0))
        .transform_filter("datum.partial"),
    ]
    if show_last_year:
        layers.append(
            base.mark_line(strokeWidth=2, strokeDash=[3, 3]).encode(
                y="n_last_year:Q", tooltip=tooltip, opacity=faded(0.85)
            )
        )
    return _style(alt.LayerChart(layer=layers), height)


def unusual_weeks(
    frame: pd.DataFrame,
    *,
    week_title: str,
    count_title: str,
    expected_title: str,
    flag_title: str,
    flag_labels: dict[str, str],
    height: int = 300,
) -> alt.LayerChart:
    """Weekly counts as bars coloured by flag (high / low / normal) with the expected level
    as a line. ``frame`` has week, n, expected, direction, p_value."""
    data = frame.assign(
        flag=frame["direction"].map(flag_labels), period=_period_labels(frame["week"], "%G-W%V")
    )
    order = sorted(data["period"].unique())
    names = [flag_labels[k] for k in ("normal", "high", "low")]
    tooltip = [
        alt.Tooltip("period:O", title=week_title),
        alt.Tooltip("n:Q", title=count_title),
        alt.Tooltip("expected:Q", title=expected_title, format=".1f"),
        alt.Tooltip("flag:N", title=flag_title),
        alt.Tooltip("p_value:Q", title="p", format=".4f"),
    ]
    x = alt.X(
        "period:O",
        title=week_title,
        sort=order,
        axis=alt.Axis(labelAngle=0 if len(order) <= 16 else -45, labelOverlap="greedy"),
    )
    bars_ = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y("n:Q", title=count_title),
            color=alt.Color(
                "flag:N",
                title=flag_title,
                scale=alt.Scale(domain=names, range=["#9aa5b1", "#c0392b", "#1f618d"]),
            ),
            tooltip=tooltip,
        )
    )
    line = (
        alt.Chart(data)
        .mark_line(
            color="#222",
            strokeDash=[6, 3],
            strokeWidth=2.5,
            point=alt.OverlayMarkDef(color="#222", size=30),
        )
        .encode(x=x, y="expected:Q", tooltip=tooltip)
    )
    return _style(alt.LayerChart(layer=[bars_, line]), height)


def weekday_hour(
    frame: pd.DataFrame,
    *,
    weekday_labels: list[str],
    hour_title: str,
    weekday_title: str,
    count_title: str,
    height: int = 320,
) -> alt.Chart:
    """A weekday × hour heatmap. ``frame`` has weekday (1 = Monday), hour, n.

    Always the full week of 7 × 24 cells: an hour or a day without events is a cell with 0,
    not a gap that shifts the axis."""
    data = full_week_grid(frame)
    data = data.assign(day=data["weekday"].map(lambda d: weekday_labels[int(d) - 1]))
    chart = (
        alt.Chart(data)
        .mark_rect(stroke="white", strokeWidth=0.5)
        .encode(
            x=alt.X(
                "hour:O",
                title=hour_title,
                axis=alt.Axis(labelAngle=0),
                scale=alt.Scale(domain=list(range(24))),
            ),
            y=alt.Y(
                "day:N", title=weekday_title, sort=weekday_labels, axis=alt.Axis(labelOverlap=False)
            ),
            color=alt.Color("n:Q", title=count_title, scale=alt.Scale(scheme="orangered")),
            tooltip=[
                alt.Tooltip("day:N", title=weekday_title),
                alt.Tooltip("hour:O", title=hour_title),
                alt.Tooltip("n:Q", title=count_title),
            ],
        )
    )
    return _style(chart, height)


def full_week_grid(frame: pd.DataFrame) -> pd.DataFrame:
    """weekday (1-7) × hour (0-23) with n, zeros where ``frame`` has no row."""
    grid = pd.MultiIndex.from_product([range(1, 8), range(24)], names=["weekday", "hour"])
    counts = (
        frame.astype({"weekday": int, "hour": int}).set_index(["weekday", "hour"])["n"]
        if len(frame)
        else pd.Series(dtype="int64")
    )
    return counts.reindex(grid, fill_value=0).astype("int64").reset_index()


def seasonality(
    frame: pd.DataFrame,
    *,
    month_labels: list[str],
    month_title: str,
    count_title: str,
    year_title: str,
    height: int = 300,
) -> alt.Chart:
    """Events per calendar month, one line per year. ``frame`` has year, month, n."""
    data = frame.assign(
        month_label=frame["month"].map(lambda m: month_labels[int(m) - 1]),
        year_text=frame["year"].astype(str),
    )
    chart = (
        alt.Chart(data)
        .mark_line(point=True, strokeWidth=2.5)
        .encode(
            x=alt.X(
                "month_label:N", title=month_title, sort=month_labels, axis=alt.Axis(labelAngle=0)
            ),
            y=alt.Y("n:Q", title=count_title),
            color=alt.Color("year_text:N", title=year_title, scale=alt.Scale(scheme="viridis")),
            tooltip=[
                alt.Tooltip("year_text:N", title=year_title),
                alt.Tooltip("month_label:N", title=month_title),
                alt.Tooltip("n:Q", title=count_title),
            ],
        )
    )
    return _style(chart, height)


def small_multiples(
    frame: pd.DataFrame,
    *,
    group_order: list[str],
    time_title: str,
    count_title: str,
    group_title: str,
    time_format: str = "%G-W%V",
    columns: int = 3,
    width: int = 410,
    height: int = 170,
) -> alt.FacetChart:
    """One small line chart per area group on a shared y scale (a shared scale makes the
    groups comparable at a glance). ``frame`` has bucket, label, n, partial."""
    data = frame.assign(period=_period_labels(frame["bucket"], time_format))
    order = sorted(data["period"].unique())
    chart = (
        alt.Chart(data)
        .mark_line(point=True, strokeWidth=2, color="#2471a3")
        .encode(
            x=alt.X(
                "period:O",
                title=time_title,
                sort=order,
                axis=alt.Axis(labelAngle=-45, labelOverlap="greedy"),
            ),
            y=alt.Y("n:Q", title=count_title),
            tooltip=[
                alt.Tooltip("label:N", title=group_title),
                alt.Tooltip("period:O", title=time_title),
                alt.Tooltip("n:Q", title=count_title),
            ],
        )
        .properties(width=width, height=height)
        .facet(
            facet=alt.Facet(
                "label:N",
                title=None,
                sort=group_order,
                header=alt.Header(labelFontSize=FONT_SIZE + 2, labelFontWeight="bold"),
            ),
            columns=columns,
        )
        .resolve_scale(y="shared")
    )
    return chart.configure_axis(
        labelFontSize=FONT_SIZE - 1, titleFontSize=FONT_SIZE
    ).configure_legend(labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE)
