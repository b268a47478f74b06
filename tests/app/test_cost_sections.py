"""Cost and involved sections on Trender and Lägesbild (AppTest over the demo)."""

from __future__ import annotations

import datetime as dt

from safetycore import queries
from safetycore.filters import Filter


def metric(at, label):
    return next(m for m in at.metric if m.label == label)


def test_trends_show_cost_against_last_year_and_who_is_involved(app, demo_con):
    at = app("pages/trender.py", period="Senaste 365 dagarna")
    assert any(h.value == "Kostnader och inblandade" for h in at.subheader)
    shown = int(metric(at, "Kostnad (kr)").value.replace("\u202f", ""))
    start, end = dt.date(2025, 11, 21), dt.date(2026, 11, 20)
    expected = demo_con.execute(
        "SELECT sum(cost_sek) FROM incidents WHERE occurred_at >= $s AND occurred_at < $e",
        {"s": start, "e": end + dt.timedelta(days=1)},
    ).fetchone()[0]
    assert shown == round(expected)
    by_category = next(
        d.value
        for d in at.dataframe
        if "Förra året (kr)" in d.value.columns and "Kategori" in d.value.columns
    )
    assert by_category.iloc[0]["Kategori"] == "Skadegörelse"  # the costliest damage
    costs = queries.run(
        demo_con,
        "yearly_cost_filter",
        Filter(start=start, end=end),
        involved=None,
        ly_start=dt.datetime(2024, 11, 21),
        ly_end=dt.datetime(2025, 11, 21),
    )
    youth = costs[(costs["dimension"] == "involved") & (costs["span"] == 0)].set_index("key")["n"]
    share = 100 * youth["youth"] / youth.drop("not_recorded").sum()
    assert metric(at, "Unga").value == f"{share:.0f} %"


def test_the_week_on_lagesbild_has_its_costs_and_groups(app):
    at = app("pages/lagesbild.py", week="2026-W45")
    assert any(h.value == "Kostnader och inblandade" for h in at.subheader)
    line = next(m.value for m in at.markdown if "Kostnad för reparation och sanering" in m.value)
    assert "samma vecka förra året" in line and "Unga bland dem" in line
    # The shared screen's overview fits one screen: the costs are left to Trender there.
    meeting = app("pages/lagesbild.py", week="2026-W45", mode="meeting")
    assert not any(h.value == "Kostnader och inblandade" for h in meeting.subheader)


def test_trends_cost_for_one_involved_group(app, demo_con):
    at = app("pages/trender.py", period="Senaste 365 dagarna")
    assert at.selectbox(key="cost_involved").value is None  # everyone by default
    at.selectbox(key="cost_involved").select("youth").run()
    assert not at.exception
    shown = int(metric(at, "Kostnad (kr)").value.replace("\u202f", ""))
    expected = demo_con.execute(
        "SELECT sum(cost_sek) FROM incidents WHERE occurred_at >= $s AND occurred_at < $e "
        "AND involved = 'youth'",
        {"s": dt.date(2025, 11, 21), "e": dt.date(2026, 11, 21)},
    ).fetchone()[0]
    assert shown == round(expected)
