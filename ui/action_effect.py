"""The effect view ("Did it work?") on the Actions page: pick an action, a period and a
comparison; see the counts, the verdict, the index chart and the check for displacement.

The choices and verdicts are ``safetycore.effect``'s (``candidates``, ``setup``,
``statement``); this module only lays them out. What may be counted for the viewer comes
from ``safetycore.disclosure.effect_scope``.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from safetycore import disclosure, effect, palette
from safetycore.formats import is_missing
from ui import cache
from ui.filters import hidden_categories
from ui.format import number
from ui.i18n import t
from ui.text import md


def neighbour_map() -> dict[str, tuple[str, ...]]:
    """Area id -> the touching areas, computed once per data version."""
    return cache.derived(effect.area_neighbours)


def statement_text(said: effect.Statement, **extra: str) -> str:
    """A verdict's text: counts as they are, percents whole, ratios with two decimals."""
    values: dict[str, object] = dict(said.counts)
    values.update({k: number(v, 0) for k, v in said.percents})
    values.update({k: number(v, 2) for k, v in said.ratios})
    return t(f"actions.effect.{said.key}", **values, **extra)


def effect_statement(result: effect.Effect) -> tuple[str, str]:
    """(kind, text): kind is success / warning / info for the verdict's box."""
    said = effect.statement(result)
    return said.kind, statement_text(said)


def _target_text(setup: effect.Setup, area_name: str) -> str:
    if setup.has_point:
        return t("actions.effect.target_point", radius=setup.radius_m, area=area_name)
    return t("actions.effect.target_area", area=area_name)


def _ratio_metric(est: effect.RatioOfRatios | None) -> str:
    if est is None:
        return "–"
    return t(
        "actions.effect.ratio_value",
        ratio=number(est.ratio, 2),
        low=number(est.low, 2),
        high=number(est.high, 2),
    )


def _summary(setup: effect.Setup, result: effect.Effect, *, labels: dict, today: dt.date) -> None:
    """The intro caption, the verdict and the three metrics."""
    action, areas = setup.action, labels["areas"]
    target_text = _target_text(setup, md(areas.get(action["area_id"], "–")))
    st.caption(
        t("actions.effect.intro", weeks=setup.weeks)
        + " "
        + f"{t('actions.effect.target')}: {target_text}. "
        + f"{t('actions.categories')}: "
        + ", ".join(md(labels["categories"].get(c, c)) for c in action["target_categories"])
        + f". {t('actions.start')}: {action['start_date'].isoformat()}."
    )
    if result.truncated:
        st.caption(t("actions.effect.after_short", weeks=setup.weeks, end=today.isoformat()))

    kind, text = effect_statement(result)
    getattr(st, kind)(text)
    if result.after_peak:  # regression to the mean: part of a fall would have come anyway
        st.warning(t("signals.effect_after_peak"))
    st.caption(t("signals.effect_matched") if result.matched else t("signals.effect_adjacent"))
    m1, m2, m3 = st.columns(3)
    m1.metric(
        f"{t('actions.effect.target')}: {t('actions.effect.before')} → {t('actions.effect.after')}",
        f"{number(result.target_before)} → {number(result.target_after)}",
    )
    m2.metric(
        f"{t('actions.effect.comparison')}: {t('actions.effect.before')} → "
        f"{t('actions.effect.after')}",
        f"{number(result.comparison_before)} → {number(result.comparison_after)}",
    )
    m3.metric(t("actions.effect.ratio"), _ratio_metric(result.estimate))


def _chart_and_counts(
    setup: effect.Setup, result: effect.Effect, weekly: pd.DataFrame, *, labels: dict
) -> None:
    """The index chart per zone and the table of counts before and after."""
    areas = labels["areas"]
    comparison_text = areas[setup.comparison] if setup.comparison else t("actions.effect.rest")
    zone_labels = {
        "target": f"{t('actions.effect.target')}: "
        + _target_text(setup, areas.get(setup.action["area_id"], "–")),  # plain: a table cell
        "comparison": f"{t('actions.effect.comparison')}: {comparison_text}",
        "neighbours": t("actions.effect.neighbours"),
    }
    short = {zone: t(f"actions.effect.{zone}") for zone in effect.ZONES}
    index = effect.smooth(
        effect.weekly_index(weekly, setup.window, {z: short[z] for z in setup.zones})
    )
    if effect.shows_chart(index, setup.window):
        st.markdown(f"**{t('actions.effect.chart_title')}**")
        colours = dict(zip([short[z] for z in setup.zones], palette.ZONES, strict=False))
        st.vega_lite_chart(
            cache.chart_spec(
                effect.effect_chart,
                index,
                week_title=t("actions.effect.chart_week"),
                index_title=t("actions.effect.chart_index"),
                series_title=t("actions.effect.chart_series"),
                colours=colours,
            ),
            width="stretch",
        )
    counts = effect.zone_counts(result, setup.zones)
    table = pd.DataFrame(
        {
            "zone": [zone_labels[zone] for zone, _, _ in counts],
            "before": [before for _, before, _ in counts],
            "after": [after for _, _, after in counts],
        }
    )
    st.markdown(f"**{t('actions.effect.counts_table')}**")
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        key="effect_counts",
        column_config={
            "zone": t("actions.effect.zone"),
            "before": t("actions.effect.before"),
            "after": t("actions.effect.after"),
        },
    )


def _displacement(setup: effect.Setup, result: effect.Effect, *, labels: dict) -> None:
    st.markdown(f"**{t('actions.effect.displacement')}**")
    names = ", ".join(md(labels["areas"].get(n, n)) for n in setup.neighbour_ids)
    said = effect.displacement_statement(result)
    extra = {} if said.key == "displacement_none" else {"names": names}  # none names no one
    getattr(st, said.kind)(statement_text(said, **extra))


def render_effect(frame: pd.DataFrame, *, labels: dict, today: dt.date) -> effect.Effect | None:
    """Pick an action, a period and a comparison; show counts, chart, ratio and displacement."""
    rows = effect.candidates(frame)
    st.subheader(t("actions.effect.heading"))
    if not rows:
        st.info(t("actions.effect.none"))
        return None
    by_id = {int(r["id"]): r for r in rows}
    c1, c2, c3 = st.columns([3, 1, 2])
    chosen = c1.selectbox(
        t("actions.effect.pick"),
        list(by_id),
        key="effect_action",
        format_func=lambda i: f"{i} · {by_id[i]['title']}",
    )
    weeks = c2.number_input(
        t("actions.effect.weeks"),
        min_value=4,
        max_value=104,
        value=effect.DEFAULT_WEEKS,
        step=1,
        key="effect_weeks",
    )
    action = by_id[chosen]
    # What may be counted for this viewer: sensitive targets only for roles that may see them,
    # and only over an area or a radius large enough (safetycore/disclosure.py).
    scope = disclosure.effect_scope(
        action["target_categories"],
        sensitive=labels["sensitive"],
        sees_sensitive=not hidden_categories(),
        radius_m=action.get("radius_m"),
        has_point=not is_missing(action.get("lat")),
    )
    if scope.reason == "radius":  # only a role that may see them learns of sensitive targets
        st.caption(
            t("actions.effect.withheld_radius", radius=number(disclosure.min_sensitive_radius()))
        )
    if scope.refused:
        st.info(t("actions.effect.refused"))
        return None
    areas = labels["areas"]
    comparison = (
        c3.selectbox(
            t("actions.effect.comparison"),
            effect.comparison_options(areas, action["area_id"]),
            key="effect_comparison",
            format_func=lambda a: areas.get(a, t("actions.effect.rest")),
        )
        or None
    )
    setup = effect.setup(
        action,
        weeks=int(weeks),
        today=today,
        comparison=comparison,
        neighbour_map=neighbour_map() if action["area_id"] else {},  # a point alone has none
        categories=tuple(scope.categories),
        include_sensitive=scope.include_sensitive,
    )
    weekly = cache.query("actions_effect_weekly", **setup.params)
    result = effect.summarise(weekly, setup.window, has_neighbours=bool(setup.neighbour_ids))
    _summary(setup, result, labels=labels, today=today)
    _chart_and_counts(setup, result, weekly, labels=labels)
    _displacement(setup, result, labels=labels)
    return result
