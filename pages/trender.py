"""Trender: how counts develop — series with last year, the comparison table, unusual weeks,
weekday × hour, seasonality and one small chart per area group."""

import datetime as dt

import pandas as pd
import streamlit as st

from safetycore import analysis, charts, signals
from safetycore.taxonomy import kind_label
from ui import data, entry, render
from ui.cost_sections import render as render_costs
from ui.export import csv_download
from ui.filters import current_filter, label_maps
from ui.format import iso_week, number
from ui.i18n import current_language, t

entry.ensure()  # the first run after a server start: see ui/entry.py

SPLITS = ("total", "kind", "category", "area_group", "source")
ROLLING = {"week": 4, "month": 3}
FLAG_WEEKS_AT_LEAST = 8
EXPORT_ROWS = 5_000

flt = current_filter()
lang = current_language()
labels = label_maps(lang)
st.title(t("trends.title"))


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time())


def pct(value) -> str:
    if value is None or pd.isna(value):
        return t("trends.too_few")
    return f"{'+' if value > 0 else ''}{number(value)} %"


# --- Controls ---------------------------------------------------------------------------------
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
    SPLITS,
    format_func=lambda s: t(f"trends.split_{s}"),
    index=1,
    key="trends_split",
    bind="query-params",
)
show_last_year = ctl[2].toggle(t("trends.show_last_year"), value=True, key="trends_ly")

# --- Series -----------------------------------------------------------------------------------
# Charts get at most 5,000 rows: a long weekly range split many ways is shown by month.
SERIES_AT_MOST = {
    "total": 1,
    "kind": 2,
    "category": len(labels["categories"]),
    "area_group": len(labels["groups"]) + 1,
    "source": len(labels["sources"]),
}
if (
    grain == "week"
    and len(analysis.buckets_between(flt.start, flt.end, "week")) * SERIES_AT_MOST[split] > 4000
):
    grain = "month"
    st.info(t("trends.too_many_weeks"))
ly_start, ly_end = analysis.last_year_span(flt.start, flt.end, grain)
span = {"ly_start": at(ly_start), "ly_end": at(ly_end + dt.timedelta(days=1))}
raw = data.query("trends_series", flt, grain=grain, split=split, **span)
total = int(raw["n"].sum())
total_ly = int(raw["n_last_year"].sum())


def series_label(code: str) -> str:
    if split == "kind":
        return kind_label(code, lang)
    if split == "category":
        return labels["categories"].get(code, code)
    if split == "area_group":
        return (
            labels["groups"].get(code, t("word.unknown_area")) if code else t("word.unknown_area")
        )
    if split == "source":
        return labels["sources"].get(code, code)
    return t("word.total")


buckets = analysis.buckets_between(flt.start, flt.end, grain)
keys = list(dict.fromkeys(raw.sort_values("n", ascending=False)["series"])) or ["total"]
series = analysis.complete_series(raw, buckets, keys)
series["partial"] = analysis.partial_buckets(series["bucket"], grain, flt.start, flt.end)
series = analysis.with_rolling(series, ROLLING[grain])
series["label"] = series["series"].map(series_label)

change = analysis.compare(total, total_ly)
m = st.columns(4)
m[0].metric(t("word.events"), number(total))
m[1].metric(t("trends.same_days_last_year"), number(total_ly))
m[2].metric(
    t("trends.change_vs_last_year"),
    pct(change.percent),
    delta=None if change.too_small else f"{change.difference:+d}",
    delta_color="inverse",
)
if change.too_small:
    m[2].caption(t("trends.too_few_text", n=analysis.MIN_COUNT_FOR_PERCENT))

st.subheader(t("trends.over_time_week") if grain == "week" else t("trends.over_time_month"))
time_format = "%G-W%V" if grain == "week" else "%Y-%m"  # strftime patterns
if total == 0 and total_ly == 0:
    st.info(t("word.no_data"))
else:
    colours = None
    if split == "kind":
        colours = {kind_label(k, lang): c for k, c in charts.KIND_COLOURS.items()}
    st.vega_lite_chart(
        render.chart_spec(
            charts.series_over_time,
            series,
            time_title=t(f"word.{grain}"),
            count_title=t("word.count"),
            series_title=t(f"trends.split_{split}"),
            rolling_title=t(f"trends.rolling_{grain}", n=ROLLING[grain]),
            last_year_title=t("trends.last_year"),
            partial_title=t("trends.partial"),
            time_format=time_format,
            colours=colours,
            show_last_year=show_last_year,
        ),
        width="stretch",
    )
    st.caption(
        t(
            f"trends.series_text_{grain}",
            n=ROLLING[grain],
            ly_start=ly_start.isoformat(),
            ly_end=ly_end.isoformat(),
        )
    )

# --- Unusual weeks ----------------------------------------------------------------------------
st.subheader(t("trends.unusual"))
last_full_monday = flt.end - dt.timedelta(
    days=flt.end.weekday() + (0 if flt.end.weekday() == 6 else 7)
)
first_monday = analysis.bucket_start(flt.start, "week")
if first_monday < flt.start:
    first_monday += dt.timedelta(days=7)
first_monday = min(first_monday, last_full_monday - dt.timedelta(weeks=FLAG_WEEKS_AT_LEAST - 1))
history_start = first_monday - dt.timedelta(weeks=52 * signals.YEARS + signals.WINDOW + 1)
history = data.query(
    "trends_weekly_history",
    flt,
    history_start=at(history_start),
    end=at(last_full_monday + dt.timedelta(days=7)),
)
history = history.iloc[1:] if len(history) else history  # the first week may start mid-week
weeks = [
    first_monday + dt.timedelta(weeks=i)
    for i in range((last_full_monday - first_monday).days // 7 + 1)
]
flags = data.memo(signals.flag_weeks, history, weeks)
st.caption(t("signals.unusual_text"))
if flags.empty:
    st.info(t("word.no_data"))
else:
    flag_labels = {d: t(f"trends.flag_{d}") for d in ("normal", "high", "low")}
    st.vega_lite_chart(
        render.chart_spec(
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
                        t("signals.range", low=number(lo), high=number(hi), n=number(n))
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
            f"{iso_week(latest['week'])}: "
            + t(
                "signals.range",
                low=number(latest["low"]),
                high=number(latest["high"]),
                n=number(latest["n"]),
            )
        )

# --- Comparison table -------------------------------------------------------------------------
st.subheader(t("trends.compare"))
windows = analysis.comparison_windows(flt.end)
first_event = data.query("data_start", flt)["first_event"].iloc[0]
no_data = analysis.windows_before_data(windows, first_event)
compared = analysis.comparison_table(data.query("trends_compare", flt, **windows), no_data=no_data)


def counts_text(values: pd.Series) -> pd.Series:
    """Counts as they are; a window before the data says so ("ingen data"), never 0."""
    if values.isna().any():
        return values.map(lambda v: t("signals.no_data") if v is None or pd.isna(v) else number(v))
    return values


def change_text(frame: pd.DataFrame, current: str, other: str) -> pd.Series:
    return pd.Series(
        [
            t("signals.no_data") if current in no_data or other in no_data else pct(v)
            for v in frame[f"{current}_vs_{other}"]
        ],
        index=frame.index,
    )


def compare_view(frame: pd.DataFrame, name_title: str, namer) -> pd.DataFrame:
    frame = frame.copy()
    for column in analysis.WINDOW_STARTS:
        frame[column] = counts_text(frame[column])
    return pd.DataFrame(
        {
            name_title: frame["key"].map(namer),
            t("trends.c_d7"): frame["d7"],
            t("trends.c_d7_prev"): frame["d7_prev"],
            t("trends.c_change_prev"): change_text(frame, "d7", "d7_prev"),
            t("trends.c_d7_ly"): frame["d7_ly"],
            t("trends.c_change_ly"): change_text(frame, "d7", "d7_ly"),
            t("trends.c_d28"): frame["d28"],
            t("trends.c_d28_prev"): frame["d28_prev"],
            t("trends.c_change_prev") + " ": change_text(frame, "d28", "d28_prev"),
            t("trends.c_d28_ly"): frame["d28_ly"],
            t("trends.c_change_ly") + " ": change_text(frame, "d28", "d28_ly"),
            t("trends.c_ytd"): frame["ytd"],
            t("trends.c_ytd_ly"): frame["ytd_ly"],
            t("trends.c_change_ly") + "  ": change_text(frame, "ytd", "ytd_ly"),
            t("trends.c_rate_d28"): frame["d28_rate"],
            t("trends.c_rate_ytd"): frame["ytd_rate"],
        }
    )


by_group = compared[compared["dimension"].isin(["group", "total"])].copy()
by_group["order"] = by_group["key"].map(
    lambda k: list(labels["groups"]).index(k) if k in labels["groups"] else 99
)
by_group.loc[by_group["dimension"] == "total", "order"] = 100
by_group = by_group.sort_values("order")
group_view = compare_view(by_group, t("word.area_group"), lambda k: k)
group_view[t("word.area_group")] = [
    t("word.total") if d == "total" else labels["groups"].get(k, t("word.unknown_area"))
    for d, k in zip(by_group["dimension"], by_group["key"], strict=True)
]


def rates_as_text(view: pd.DataFrame) -> pd.DataFrame:
    for column, decimals in ((t("trends.c_rate_d28"), 2), (t("trends.c_rate_ytd"), 1)):
        view[column] = [
            "–" if v is None or pd.isna(v) else number(v, decimals) for v in view[column]
        ]
    return view


st.dataframe(rates_as_text(group_view.copy()), hide_index=True, width="stretch")
st.caption(t("trends.compare_text", end=flt.end.isoformat(), n=analysis.MIN_COUNT_FOR_PERCENT))
by_category = compared[compared["dimension"] == "category"].sort_values("ytd", ascending=False)
category_view = compare_view(
    by_category, t("word.category"), lambda k: labels["categories"].get(k, k)
)
with st.expander(t("trends.compare_by_category"), expanded=False):
    st.dataframe(rates_as_text(category_view.copy()), hide_index=True, width="stretch")
    st.caption(t("trends.category_rate_text"))

# --- Weekday × hour and seasonality ------------------------------------------------------------
left, right = st.columns(2)
heat = data.query("trends_heatmap", flt)
with left:
    st.subheader(t("trends.heatmap"))
    exact = int(heat["n"].sum()) if len(heat) else 0
    st.caption(t("trends.heatmap_text", n=number(exact), total=number(total)))
    render.chart(
        charts.weekday_hour,
        heat,
        weekday_labels=t("trends.weekdays").split(","),
        hour_title=t("trends.hour"),
        weekday_title=t("trends.weekday"),
        count_title=t("word.count"),
    )
season = data.query("trends_seasonality", flt)
with right:
    st.subheader(t("trends.seasonality"))
    st.caption(t("trends.seasonality_text"))
    render.chart(
        charts.seasonality,
        season,
        month_labels=t("trends.months").split(","),
        month_title=t("word.month"),
        count_title=t("word.count"),
        year_title=t("trends.year"),
    )

render_costs(flt)  # what the problems cost and who is involved (ui/cost_sections.py)

# --- Small multiples -------------------------------------------------------------------------
st.subheader(t("trends.small_multiples"))
st.caption(t("trends.small_multiples_text"))
per_group = data.query("trends_series", flt, grain=grain, split="area_group", **span)
if per_group.empty:
    st.info(t("word.no_data"))
else:
    group_keys = [g for g in labels["groups"] if g in set(per_group["series"])]
    group_keys += [k for k in per_group["series"].unique() if k not in group_keys]
    multiples = analysis.complete_series(per_group, buckets, group_keys)
    multiples["partial"] = analysis.partial_buckets(multiples["bucket"], grain, flt.start, flt.end)
    multiples["label"] = [
        labels["groups"].get(k, t("word.unknown_area")) for k in multiples["series"]
    ]
    st.vega_lite_chart(
        render.chart_spec(
            charts.small_multiples,
            multiples,
            group_order=list(dict.fromkeys(multiples["label"])),
            time_title=t(f"word.{grain}"),
            count_title=t("word.count"),
            group_title=t("word.area_group"),
            time_format=time_format,
        )
    )

# --- Export -------------------------------------------------------------------------------------
st.subheader(t("trends.export"))
ex = st.columns(5)
with ex[0]:
    csv_download(
        series.drop(columns=["label"]).assign(label=series["label"]),
        f"trender_{grain}.csv",
        t("trends.export_series"),
        key="export_series",
    )
with ex[1]:
    csv_download(
        pd.concat(
            [group_view, category_view.rename(columns={t("word.category"): t("word.area_group")})],
            ignore_index=True,
        ),
        "trender_jamforelse.csv",
        t("trends.export_compare"),
        key="export_compare",
    )
with ex[2]:
    csv_download(flags, "trender_ovanliga_veckor.csv", t("trends.export_flags"), key="export_flags")
with ex[3]:
    csv_download(
        pd.concat(
            [heat.assign(table="weekday_hour"), season.assign(table="seasonality")],
            ignore_index=True,
        ),
        "trender_tid_och_sasong.csv",
        t("trends.export_time"),
        key="export_time",
    )
with ex[4]:
    csv_download(
        lambda: data.query(
            "map_selection", flt, limit=EXPORT_ROWS, cell=None, area=None, resolution=9
        ),
        "trender_handelser.csv",
        t("trends.export_events", n=number(EXPORT_ROWS)),
        key="export_events",
    )
st.caption(t("trends.export_text", n=number(EXPORT_ROWS)))
