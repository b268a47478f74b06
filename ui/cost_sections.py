"""What the problems cost and who is involved, for the current view: a section of Trender (the
filter's period against the same period last year) and a compact one on Lägesbild (the week).
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from safetycore import palette, yearly
from safetycore.filters import Filter
from safetycore.involvement import INVOLVED
from ui import cache
from ui.filters import label_maps
from ui.format import number
from ui.i18n import t

GROUPS = (*INVOLVED, "not_recorded")
COLOURS = palette.INVOLVED


def _costs(
    flt: Filter, k: int, grain: str, involved: str | None = None
) -> tuple[yearly.PeriodCosts, tuple]:
    """The section's figures and the key they are cached under (for their charts)."""
    return cache.keyed_derived(yearly.cost_view, flt, min_count=k, grain=grain, involved=involved)


def _kr(value) -> str:
    return number(value) if value is not None else "–"


def _change(now: float, before: float) -> str:
    diff = now - before
    return ("+" if diff > 0 else "−" if diff < 0 else "±") + number(abs(diff))


def _cost_table(frame: pd.DataFrame, name_title: str, namer) -> pd.DataFrame:
    rows = frame[(frame["cost"] > 0) | (frame["cost_ly"] > 0)]
    return pd.DataFrame(
        {
            name_title: [namer(k) for k in rows["key"]],
            t("cost.col.cost"): [_kr(v) for v in rows["cost"]],
            t("cost.col.cost_ly"): [_kr(v) for v in rows["cost_ly"]],
            t("cost.col.change"): [
                _change(a, b) for a, b in zip(rows["cost"], rows["cost_ly"], strict=True)
            ],
            t("cost.col.with_cost"): [number(v) for v in rows["n_cost"]],
        }
    )


def involved_chart(involved: pd.DataFrame, *, height: int = 160) -> alt.Chart:
    frame = involved.assign(
        label=[t(f"involvement.{g}") for g in involved["key"]], n=involved["n"].astype("float")
    )
    return (
        alt.Chart(frame.dropna(subset=["n"]))
        .mark_bar()
        .encode(
            y=alt.Y("label:N", title="", sort=[t(f"involvement.{g}") for g in GROUPS]),
            x=alt.X("n:Q", title=t("word.count")),
            color=alt.Color(
                "key:N",
                legend=None,
                scale=alt.Scale(domain=list(COLOURS), range=list(COLOURS.values())),
            ),
            tooltip=[
                alt.Tooltip("label:N", title=t("involvement.involved")),
                alt.Tooltip("n:Q", title=t("word.count")),
            ],
        )
        .properties(height=height)
    )


def month_chart(months: pd.DataFrame, *, height: int = 260) -> alt.Chart:
    frame = pd.concat(
        [
            months.assign(series=t("cost.this_period"), value=months["cost"]),
            months.assign(series=t("cost.last_year"), value=months["cost_ly"]),
        ]
    ).assign(month=lambda f: pd.to_datetime(f["key"]).dt.strftime("%Y-%m"))
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("month:O", title=t("word.month")),
            xOffset="series:N",
            y=alt.Y("value:Q", title=t("cost.col.cost")),
            color=alt.Color(
                "series:N",
                title="",
                scale=alt.Scale(
                    domain=[t("cost.this_period"), t("cost.last_year")],
                    range=list(palette.THIS_AND_LAST_YEAR),
                ),
            ),
            tooltip=["month:O", "series:N", alt.Tooltip("value:Q", format=",.0f")],
        )
        .properties(height=height)
    )


def render(flt: Filter, *, compact: bool = False, meeting: bool = False, k: int = 0) -> None:
    """The section for ``flt``. ``compact``: the week on Lägesbild (totals and the involved
    groups only); ``meeting``: counts below ``k`` are not shown."""
    labels = label_maps()
    involved = None
    if compact:
        st.subheader(t("cost.heading"))
    else:
        head, pick = st.columns([3, 1], vertical_alignment="bottom")
        head.subheader(t("cost.heading"))
        involved = pick.selectbox(
            t("cost.only_involved"),
            GROUPS,
            index=None,
            key="cost_involved",
            format_func=lambda g: t(f"involvement.{g}"),
            placeholder=t("cost.all_involved"),
            bind="query-params",
        )
    costs, key = _costs(flt, k if meeting else 0, "week" if compact else "month", involved)
    total = costs.total
    st.caption(t("cost.intro", start=flt.start.isoformat(), end=flt.end.isoformat()))
    known = costs.involved.set_index("key")["n"]
    recorded = int(sum(int(v) for g, v in known.items() if g != "not_recorded" and pd.notna(v)))
    youth = known.get("youth")
    youth_share = "–" if pd.isna(youth) or not recorded else f"{number(100 * youth / recorded)} %"
    if compact:  # two lines beside the week's figures: no more charts on the meeting's page
        st.markdown(
            t(
                "cost.week_line",
                cost=_kr(total["cost"]),
                before=_kr(total["cost_ly"]),
                n=number(total["n_cost"]),
                youth=youth_share,
                people=number(total["people"]),
            )
        )
        st.caption(
            " · ".join(
                f"{t(f'involvement.{g}')} {'–' if pd.isna(v) else number(v)}"
                for g, v in zip(costs.involved["key"], costs.involved["n"], strict=True)
            )
        )
        return
    m = st.columns(4)
    m[0].metric(
        t("cost.col.cost"),
        _kr(total["cost"]),
        delta=_change(total["cost"], total["cost_ly"]),
        delta_color="inverse",
        help=t("cost.vs_last_year"),
    )
    m[1].metric(t("cost.col.with_cost"), number(total["n_cost"]), help=t("cost.with_cost_help"))
    m[2].metric(t("involvement.youth"), youth_share, help=t("cost.youth_help"))
    m[3].metric(t("cost.people"), number(total["people"]), help=t("cost.people_help"))
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{t('cost.by_category')}**")
        st.dataframe(
            _cost_table(
                costs.by_category, t("word.category"), lambda c: labels["categories"].get(c, c)
            ),
            hide_index=True,
            width="stretch",
        )
        st.markdown(f"**{t('cost.by_group')}**")
        st.dataframe(
            _cost_table(
                costs.by_group,
                t("word.area_group"),
                lambda g: labels["groups"].get(g, t("word.unknown_area")),
            ),
            hide_index=True,
            width="stretch",
        )
    with right:
        st.markdown(f"**{t('cost.by_month')}**")
        # The charts' specs are cached on the figures' key, not built again on every rerun.
        if len(costs.by_month):
            months = cache.Keyed(costs.by_month, (*key, "by_month"))
            st.vega_lite_chart(cache.chart_spec(month_chart, months), width="stretch")
        st.markdown(f"**{t('involvement.involved')}**")
        involved_frame = cache.Keyed(costs.involved, (*key, "involved"))
        st.vega_lite_chart(cache.chart_spec(involved_chart, involved_frame), width="stretch")
    wide = costs.involved_by_category
    if len(wide):
        shown = wide.assign(known=wide[list(INVOLVED[:3])].fillna(0).sum(axis=1)).sort_values(
            "known", ascending=False
        )
        table = pd.DataFrame(
            {t("word.category"): [labels["categories"].get(c, c) for c in shown["category"]]}
        )
        for g in GROUPS:
            table[t(f"involvement.{g}")] = ["–" if pd.isna(v) else number(v) for v in shown[g]]
        with st.expander(t("cost.involved_by_category"), expanded=False):
            st.dataframe(table, hide_index=True, width="stretch")
