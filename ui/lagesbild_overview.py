"""Lägesbild's overview: the week's headline cards, the table of area groups, the trend
chart and the state of the sources, laid out from ``safetycore.situation``'s week view."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from safetycore import palette, signals
from safetycore import situation as sit
from safetycore import situation_charts as week_charts
from safetycore import situation_view as view
from safetycore.analysis import MIN_COUNT_FOR_PERCENT
from safetycore.taxonomy import KINDS, kind_label
from ui import cache
from ui.filters import label_maps
from ui.format import number, plural, signed
from ui.i18n import current_language, t


def usual_text(value: float) -> str:
    return number(value, 1)


def delta_text(fig: sit.Figure) -> str:
    cmp = fig.vs_last_week
    if cmp.too_small:
        return t("situation.vs_last_week", diff=signed(cmp.difference))
    return t("situation.vs_last_week_pct", diff=signed(cmp.difference), pct=signed(cmp.percent))


def short_delta(fig: sit.Figure) -> str:
    cmp = fig.vs_last_week
    if cmp.too_small:
        return signed(cmp.difference)
    return f"{signed(cmp.difference)} ({signed(cmp.percent)} %)"


def flag_badge(fig: sit.Figure) -> str:
    if fig.direction == "up":
        return f":red-badge[{t('situation.flag_up')}]"
    if fig.direction == "down":
        return f":blue-badge[{t('situation.flag_down')}]"
    return ""


def figure_label(key: str) -> str:
    return t("situation.total") if key == "total" else kind_label(key, current_language())


def headline_row(figures: list[sit.Figure], in_meeting: bool) -> None:
    columns = st.columns(len(figures))
    for column, fig in zip(columns, figures, strict=True):
        unchanged = fig.vs_last_week.difference == 0  # no change: neither red nor green
        badge = flag_badge(fig)
        label = figure_label(fig.key)
        if badge and in_meeting:  # the flag in the card's title: no extra row on the screen
            label = f"{label} {badge}"
        column.metric(
            label,
            number(fig.week),
            delta_text(fig),
            delta_color="off" if unchanged else "inverse",
            delta_arrow="off" if unchanged else "auto",
            border=True,
            help=t("situation.flag_help"),
        )
        last_year = number(fig.last_year) if fig.last_year_known else t("signals.no_data")
        if in_meeting:  # one line a card: the screen's height is the meeting's
            column.caption(
                t(
                    "situation.compare_line_meeting",
                    words=signals.words(fig.flag, t, number),
                    last_week=number(fig.last_week),
                    last_year=last_year,
                )
            )
        else:
            column.caption(
                t(
                    "situation.compare_line",
                    last_week=number(fig.last_week),
                    last_year=last_year,
                    usual=usual_text(fig.usual),
                )
            )
            column.caption(signals.words(fig.flag, t, number))  # the expected range, in words
        if badge and not in_meeting:
            column.markdown(badge)


def trend_chart(ws: sit.WeekSituation, height: int) -> None:
    st.subheader(t("situation.trend"))
    if ws.weekly.empty:
        st.info(t("word.no_data"))
        return
    lang = current_language()
    st.vega_lite_chart(
        cache.chart_spec(
            week_charts.trend_chart,
            ws.weekly,
            ws.week,
            kind_labels={kk: kind_label(kk, lang) for kk in KINDS},
            week_title=t("word.week"),
            count_title=t("word.count"),
            kind_title=t("word.kind"),
            height=height,
            font_size=18 if ws.meeting else 14,
        ),
        width="stretch",
    )


def source_frame(ws: sit.WeekSituation) -> pd.DataFrame:
    sources = label_maps()["sources"]
    frame = ws.sources.copy()
    frame["label"] = [sources.get(s, s) for s in frame["source"]]
    frame["state"] = cache.memo(view.source_states, ws.sources)
    frame["status"] = frame["state"].map(lambda s: t(f"situation.source_{s}"))
    return frame


def sources_table(ws: sit.WeekSituation) -> None:
    in_meeting = ws.meeting
    st.subheader(
        t("situation.sources"), help=t("situation.source_badges_note") if in_meeting else None
    )
    frame = source_frame(ws)
    if in_meeting:  # the shared screen: one badge per source, in a few lines instead of a table
        st.markdown(
            " ".join(
                f":{palette.SOURCE_BADGE[r.state]}-badge[{r.label} {number(r.week)} "
                f"({t('situation.source_usual_short', n=number(r.usual, 1))})]"
                for r in frame.itertuples(index=False)
            )
        )
        return
    frame["usual_text"] = [number(u, 1) for u in frame["usual"]]
    st.dataframe(
        frame[["label", "week", "usual_text", "status"]],
        hide_index=True,
        width="stretch",
        placeholder="–",
        column_config={
            "label": t("word.source"),
            "week": st.column_config.NumberColumn(t("situation.source_week")),
            "usual_text": st.column_config.TextColumn(
                t("situation.source_usual"), alignment="right"
            ),
            "status": t("situation.source_status"),
        },
    )


def groups_table(ws: sit.WeekSituation) -> None:
    """Every area group in one table: the week, the change, the rate and the rating."""
    st.subheader(t("situation.groups"))
    rows = []
    for g in ws.groups:
        fig = g.total
        saved = g.rating_for(ws.week.label)
        rows.append(
            {
                "group": g.name,
                "week": fig.week,
                "change": short_delta(fig),
                "expected": number(fig.expected, 1),  # text: the decimal comma in any browser
                "rate": number(view.group_rate(g), 2),
                "flag": {"up": t("situation.flag_up"), "down": t("situation.flag_down")}.get(
                    fig.direction, ""
                ),
                "rating": int(saved["rating"]) if saved else None,
            }
        )
    frame = pd.DataFrame(
        rows, columns=["group", "week", "change", "expected", "rate", "flag", "rating"]
    )
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        placeholder="–",
        column_config={
            "group": t("word.area_group"),
            "week": st.column_config.NumberColumn(t("situation.this_week")),
            "change": t("situation.change"),
            "expected": st.column_config.TextColumn(t("situation.usual"), alignment="right"),
            "rate": st.column_config.TextColumn(t("situation.rate"), alignment="right"),
            "flag": st.column_config.TextColumn(
                t("situation.flag"),  # the flag whole
                width=165 if ws.meeting else 140,
            ),
            "rating": st.column_config.NumberColumn(
                t("report.rating"), format="%d", width="small", help=t("situation.rating_scale")
            ),
        },
    )


def overview(ws: sit.WeekSituation) -> None:
    in_meeting = ws.meeting
    headline_row(ws.headline, in_meeting)
    notes = [t("situation.small_counts", n=MIN_COUNT_FOR_PERCENT)]
    if ws.unplaced.week:
        notes.append(plural("situation.unplaced", ws.unplaced.week))
    st.caption(" ".join(notes))
    left, right = st.columns([1.6, 1.0] if not in_meeting else [1.45, 1.0])
    with left:
        groups_table(ws)
        if not in_meeting:
            trend_chart(ws, height=260)
    with right:
        if in_meeting:  # beside the table, so the step fits the screen
            trend_chart(ws, height=250)  # the whole chart, legend and axes included
        sources_table(ws)
