"""Trender's sections, laid out from ``safetycore.trends.TrendsView``: the controls, the
headline figures, the series over time, the unusual weeks, the comparison table, weekday ×
hour with seasonality, the small multiples per area group and the exports."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pandas as pd
import streamlit as st

from safetycore import analysis, charts
from safetycore import trends as tr
from safetycore.filters import Filter
from safetycore.taxonomy import kind_label
from ui import cache
from ui.export import csv_download
from ui.filters import label_maps
from ui.format import iso_week, number
from ui.i18n import current_language, t

FLAG_DIRECTIONS = ("normal", "high", "low")


def _labels() -> dict[str, dict[str, str]]:
    return label_maps()


def pct(value) -> str:
    if value is None or pd.isna(value):
        return t("trends.too_few")
    return f"{'+' if value > 0 else ''}{number(value)} %"


def time_format(grain: str) -> str:
    return "%G-W%V" if grain == "week" else "%Y-%m"  # strftime patterns


def controls() -> tuple[str, str, bool]:
    """Grain, split and whether last year is drawn (bound to the address bar)."""
    ctl = st.columns([1, 1.3, 1, 2])
    grain = ctl[0].radio(
        t("trends.grain"),
        ("week", "month"),
        format_func=lambda g: t(f"word.{g}"),
        horizontal=True,
        key="trends_grain",
        bind="query-params",
    )
    split = ctl[1].selectbox(
        t("trends.split"),
        tr.SPLITS,
        format_func=lambda s: t(f"trends.split_{s}"),
        index=1,
        key="trends_split",
        bind="query-params",
    )
    show_last_year = ctl[2].toggle(t("trends.show_last_year"), value=True, key="trends_ly")
    return grain, split, show_last_year


def series_label(split: str, code: str) -> str:
    labels = _labels()
    if split == "kind":
        return kind_label(code, current_language())
    if split == "category":
        return labels["categories"].get(code, code)
    if split == "area_group":
        return (
            labels["groups"].get(code, t("word.unknown_area")) if code else t("word.unknown_area")
        )
    if split == "source":
        return labels["sources"].get(code, code)
    return t("word.total")


def labelled_series(v: tr.TrendsView, split: str) -> pd.DataFrame:
    """The series with the label each line is drawn under (a copy: the view is shared)."""
    return v.series.assign(label=v.series["series"].map(lambda c: series_label(split, c)))


def headline(v: tr.TrendsView) -> None:
    m = st.columns(4)
    m[0].metric(t("word.events"), number(v.total))
    m[1].metric(t("trends.same_days_last_year"), number(v.total_ly))
    m[2].metric(
        t("trends.change_vs_last_year"),
        pct(v.change.percent),
        delta=None if v.change.too_small else f"{v.change.difference:+d}",
        delta_color="inverse",
    )
    if v.change.too_small:
        m[2].caption(t("trends.too_few_text", n=analysis.MIN_COUNT_FOR_PERCENT))


def over_time(v: tr.TrendsView, series: pd.DataFrame, split: str, show_last_year: bool) -> None:
    grain = v.grain
    st.subheader(t("trends.over_time_week") if grain == "week" else t("trends.over_time_month"))
    if v.total == 0 and v.total_ly == 0:
        st.info(t("word.no_data"))
        return
    colours = None
    if split == "kind":
        lang = current_language()
        colours = {kind_label(k, lang): c for k, c in charts.KIND_COLOURS.items()}
    st.vega_lite_chart(
        cache.chart_spec(
            charts.series_over_time,
            series,
            time_title=t(f"word.{grain}"),
            count_title=t("word.count"),
            series_title=t(f"trends.split_{split}"),
            rolling_title=t(f"trends.rolling_{grain}", n=tr.ROLLING[grain]),
            last_year_title=t("trends.last_year"),
            partial_title=t("trends.partial"),
            time_format=time_format(grain),
            colours=colours,
            show_last_year=show_last_year,
        ),
        width="stretch",
    )
    st.caption(
        t(
            f"trends.series_text_{grain}",
            n=tr.ROLLING[grain],
            ly_start=v.ly_start.isoformat(),
            ly_end=v.ly_end.isoformat(),
        )
    )


def _range(low, high, n) -> str:
    return t("signals.range", low=number(low), high=number(high), n=number(n))


def unusual_weeks(flags: pd.DataFrame) -> None:
    st.subheader(t("trends.unusual"))
    st.caption(t("signals.unusual_text"))
    if flags.empty:
        st.info(t("word.no_data"))
        return
    flag_labels = {d: t(f"trends.flag_{d}") for d in FLAG_DIRECTIONS}
    st.vega_lite_chart(
        cache.chart_spec(
            charts.unusual_weeks,
            flags,
            week_title=t("word.week"),
            count_title=t("word.count"),
            expected_title=t("trends.expected"),
            flag_title=t("trends.flag"),
            flag_labels=flag_labels,
        ),
        width="stretch",
    )
    unusual = flags[flags["direction"] != "normal"]
    if unusual.empty:
        st.success(t("trends.no_unusual", n=len(flags)))
    else:
        st.dataframe(
            pd.DataFrame(
                {
                    t("word.week"): unusual["week"].map(iso_week),
                    t("word.count"): unusual["n"],
                    t("signals.expected_range"): [
                        _range(lo, hi, n)
                        for lo, hi, n in zip(
                            unusual["low"], unusual["high"], unusual["n"], strict=True
                        )
                    ],
                    t("trends.flag"): unusual["direction"].map(flag_labels),
                    "p": unusual["p_value"].map(lambda p: "< 0.0001" if p < 0.0001 else f"{p:.4f}"),
                }
            ),
            hide_index=True,
        )
    latest = flags.iloc[-1]
    if pd.notna(latest["low"]):
        st.caption(
            f"{iso_week(latest['week'])}: " + _range(latest["low"], latest["high"], latest["n"])
        )


def counts_text(values: pd.Series) -> pd.Series:
    """Counts as they are; a window before the data says so ("ingen data"), never 0."""
    if values.isna().any():
        return values.map(lambda v: t("signals.no_data") if v is None or pd.isna(v) else number(v))
    return values


def change_text(frame: pd.DataFrame, current: str, other: str, no_data) -> pd.Series:
    return pd.Series(
        [
            t("signals.no_data") if current in no_data or other in no_data else pct(v)
            for v in frame[f"{current}_vs_{other}"]
        ],
        index=frame.index,
    )


def compare_view(
    frame: pd.DataFrame, name_title: str, namer: Callable[[str], str], no_data
) -> pd.DataFrame:
    frame = frame.copy()
    for column in analysis.WINDOW_STARTS:
        frame[column] = counts_text(frame[column])

    return pd.DataFrame(
        {
            name_title: frame["key"].map(namer),
            t("trends.c_d7"): frame["d7"],
            t("trends.c_d7_prev"): frame["d7_prev"],
            t("trends.c_change_prev"): change_text(frame, "d7", "d7_prev", no_data),
            t("trends.c_d7_ly"): frame["d7_ly"],
            t("trends.c_change_ly"): change_text(frame, "d7", "d7_ly", no_data),
            t("trends.c_d28"): frame["d28"],
            t("trends.c_d28_prev"): frame["d28_prev"],
            t("trends.c_change_prev") + " ": change_text(frame, "d28", "d28_prev", no_data),
            t("trends.c_d28_ly"): frame["d28_ly"],
            t("trends.c_change_ly") + " ": change_text(frame, "d28", "d28_ly", no_data),
            t("trends.c_ytd"): frame["ytd"],
            t("trends.c_ytd_ly"): frame["ytd_ly"],
            t("trends.c_change_ly") + "  ": change_text(frame, "ytd", "ytd_ly", no_data),
            t("trends.c_rate_d28"): frame["d28_rate"],
            t("trends.c_rate_ytd"): frame["ytd_rate"],
        }
    )


def rates_as_text(view: pd.DataFrame) -> pd.DataFrame:
    for column, decimals in ((t("trends.c_rate_d28"), 2), (t("trends.c_rate_ytd"), 1)):
        view[column] = [
            "–" if v is None or pd.isna(v) else number(v, decimals) for v in view[column]
        ]
    return view


def comparison(v: tr.TrendsView, flt: Filter) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The comparison table per area group and (folded) per category; returns both views
    for the export."""
    st.subheader(t("trends.compare"))
    labels = _labels()
    group_view = compare_view(v.by_group, t("word.area_group"), lambda k: k, v.no_data)
    group_view[t("word.area_group")] = [
        t("word.total") if d == "total" else labels["groups"].get(k, t("word.unknown_area"))
        for d, k in zip(v.by_group["dimension"], v.by_group["key"], strict=True)
    ]
    st.dataframe(rates_as_text(group_view.copy()), hide_index=True, width="stretch")
    st.caption(t("trends.compare_text", end=flt.end.isoformat(), n=analysis.MIN_COUNT_FOR_PERCENT))
    category_view = compare_view(
        v.by_category, t("word.category"), lambda k: labels["categories"].get(k, k), v.no_data
    )
    with st.expander(t("trends.compare_by_category"), expanded=False):
        st.dataframe(rates_as_text(category_view.copy()), hide_index=True, width="stretch")
        st.caption(t("trends.category_rate_text"))
    return group_view, category_view


def time_and_season(v: tr.TrendsView) -> None:
    left, right = st.columns(2)
    with left:
        st.subheader(t("trends.heatmap"))
        exact = int(v.heat["n"].sum()) if len(v.heat) else 0
        st.caption(t("trends.heatmap_text", n=number(exact), total=number(v.total)))
        cache.chart(
            charts.weekday_hour,
            v.heat,
            weekday_labels=t("trends.weekdays").split(","),
            hour_title=t("trends.hour"),
            weekday_title=t("trends.weekday"),
            count_title=t("word.count"),
        )
    with right:
        st.subheader(t("trends.seasonality"))
        st.caption(t("trends.seasonality_text"))
        cache.chart(
            charts.seasonality,
            v.season,
            month_labels=t("trends.months").split(","),
            month_title=t("word.month"),
            count_title=t("word.count"),
            year_title=t("trends.year"),
        )


def small_multiples(v: tr.TrendsView) -> None:
    st.subheader(t("trends.small_multiples"))
    st.caption(t("trends.small_multiples_text"))
    if v.multiples is None:
        st.info(t("word.no_data"))
        return
    groups = _labels()["groups"]
    multiples = v.multiples.assign(
        label=[groups.get(k, t("word.unknown_area")) for k in v.multiples["series"]]
    )
    st.vega_lite_chart(
        cache.chart_spec(
            charts.small_multiples,
            multiples,
            group_order=list(dict.fromkeys(multiples["label"])),
            time_title=t(f"word.{v.grain}"),
            count_title=t("word.count"),
            group_title=t("word.area_group"),
            time_format=time_format(v.grain),
        )
    )


def exports(
    v: tr.TrendsView,
    flt: Filter,
    series: pd.DataFrame,
    group_view: pd.DataFrame,
    category_view: pd.DataFrame,
) -> None:
    st.subheader(t("trends.export"))
    ex = st.columns(5)
    with ex[0]:
        csv_download(
            series.drop(columns=["label"]).assign(label=series["label"]),
            f"trender_{v.grain}.csv",
            t("trends.export_series"),
            key="export_series",
        )
    with ex[1]:
        renamed = category_view.rename(columns={t("word.category"): t("word.area_group")})
        csv_download(
            pd.concat([group_view, renamed], ignore_index=True),
            "trender_jamforelse.csv",
            t("trends.export_compare"),
            key="export_compare",
        )
    with ex[2]:
        csv_download(
            v.flags, "trender_ovanliga_veckor.csv", t("trends.export_flags"), key="export_flags"
        )
    with ex[3]:
        csv_download(
            pd.concat(
                [v.heat.assign(table="weekday_hour"), v.season.assign(table="seasonality")],
                ignore_index=True,
            ),
            "trender_tid_och_sasong.csv",
            t("trends.export_time"),
            key="export_time",
        )
    with ex[4]:
        csv_download(
            partial(  # made when clicked
                cache.query,
                "map_selection",
                flt,
                limit=tr.EXPORT_ROWS,
                cell=None,
                area=None,
                resolution=9,
            ),
            "trender_handelser.csv",
            t("trends.export_events", n=number(tr.EXPORT_ROWS)),
            key="export_events",
        )
    st.caption(t("trends.export_text", n=number(tr.EXPORT_ROWS)))
