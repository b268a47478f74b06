"""The rules of the Lägesbild page that are not layout: which week a picker offers and what a
week without data says, which sources are silent, how a group's standouts are merged for the
meeting, the rating chips, the task lists and the tab names.

Pure functions over ``safetycore.situation``'s week view (and small frames), so the page and
its sections in ``ui/lagesbild_*.py`` only lay out what these return.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from safetycore import situation as sit
from safetycore.analysis import rate_per_1000

STANDOUTS_SHOWN = 6  # on the normal page
MEETING_STANDOUTS = 3  # on the shared screen
MEETING_TASKS = 3  # on the shared screen; the rest as "and n more"
TASK_BUCKETS = ("overdue", "due", "done")


@dataclass(frozen=True)
class WeekPick:
    """What the week picker offers and what it says about the chosen week's data."""

    choices: tuple[str, ...]
    default: str
    bad_week: str | None  # a ?week= value that is no ISO week
    events_by_week: dict[str, int]
    first: str | None  # the first and the last week with data (labels), None without data
    last: str | None
    latest_listed: str | None  # the latest week with data the picker offers

    def has_data(self, week_label: str) -> bool:
        return bool(self.events_by_week.get(week_label))


def week_pick(
    data_weeks: pd.DataFrame, today: dt.date, include_current: bool, asked: str | None
) -> WeekPick:
    """The picker's weeks: every week back to the first with data, the week a link names
    (?week=2023-W12) even without data, never a running week by default.

    ``data_weeks`` is ``situation_data_weeks`` (iso_week, monday, n; newest first).
    """
    bad = None
    try:
        linked = (sit.Week.parse(asked).label,) if asked else ()
    except ValueError:
        linked, bad = (), asked
    default = sit.default_week(today, include_current)
    choices = sit.week_choices(
        today,
        include_current,
        oldest=data_weeks["monday"].min().date() if len(data_weeks) else None,
        extra=linked,
    )
    labels = list(data_weeks["iso_week"])
    offered = set(choices)
    listed = [label for label in labels if label in offered]
    return WeekPick(
        choices=tuple(choices),
        default=default.label,
        bad_week=bad,
        events_by_week=dict(zip(labels, data_weeks["n"], strict=True)),
        first=labels[-1] if labels else None,
        last=labels[0] if labels else None,
        latest_listed=listed[0] if listed else None,
    )


def source_states(sources: pd.DataFrame) -> list[str]:
    """Each source's state this week: ``none`` (nothing came), ``low`` (clearly below its
    usual) or ``ok``. ``sources`` has the columns week and usual."""
    return [
        "none" if w == 0 else "low" if sit.poisson_flag(w, u).direction == "low" else "ok"
        for w, u in zip(sources["week"], sources["usual"], strict=True)
    ]


@dataclass(frozen=True)
class HotspotLine:
    """New hotspots of one area as one line: their counts added, the busiest cell's status."""

    area: str
    week: int
    usual: float
    status: str | None
    since: str | None


def standout_lines(
    group: sit.GroupWeek, area_names: dict[str, str], unknown_area: str, *, limit: int
) -> list[HotspotLine | sit.Standout]:
    """A group's standouts as the meeting reads them, at most ``limit``: hotspots named by
    their area (two cells of one area are one line, where it first appears), figures as they
    are."""
    hotspots: dict[str, list] = {}
    entries: list[tuple[str, object]] = []
    for s in group.standouts:
        if s.kind == "hotspot":
            area = area_names.get(s.area_id, unknown_area) if s.area_id else group.name
            if area not in hotspots:  # the busiest cell comes first: its status and start
                hotspots[area] = [0, 0.0, s.status, s.since]
                entries.append(("hotspot", area))
            hotspots[area][0] += s.week
            hotspots[area][1] += s.usual
        else:
            entries.append(("figure", s))
    out: list[HotspotLine | sit.Standout] = []
    for kind, item in entries[:limit]:
        if kind == "hotspot":
            week_n, usual, status, since = hotspots[str(item)]
            out.append(HotspotLine(str(item), week_n, usual, status, since))
        else:
            assert isinstance(item, sit.Standout)
            out.append(item)
    return out


def rating_chips(group: sit.GroupWeek, weeks: list[str]) -> list[tuple[str, int | None]]:
    """The group's rating for each of ``weeks`` (None where none was given)."""
    by_week = dict(zip(group.ratings["iso_week"], group.ratings["rating"], strict=True))
    return [(label, None if by_week.get(label) is None else int(by_week[label])) for label in weeks]


def group_rate(group: sit.GroupWeek) -> float | None:
    """The group's events this week per 1,000 residents (None without a population)."""
    return rate_per_1000(group.total.week, group.population)


def task_counts(tasks: pd.DataFrame) -> dict[str, int]:
    """How many tasks are overdue, due and done."""
    counts = tasks["bucket"].value_counts()
    return {b: int(counts.get(b, 0)) for b in TASK_BUCKETS}


def task_days(tasks: pd.DataFrame) -> list:
    """The day each task is shown with: when it was done, else when it is due."""
    return [
        done if bucket == "done" else due
        for bucket, due, done in zip(
            tasks["bucket"], tasks["due_date"], tasks["done_on"], strict=True
        )
    ]


def tab_names(names: list[str], ids: list[str]) -> list[str]:
    """Tab labels, unique (to be bound to the address bar): a repeated name gets its id."""
    return [n if names.count(n) == 1 else f"{n} ({gid})" for n, gid in zip(names, ids, strict=True)]


def opened_group(asked: str, name_of: dict[str, str]) -> str | None:
    """The group a link opens: ?situation_group= names it by id, or by its tab name as older
    links do."""
    if asked in name_of:
        return asked
    return {name: gid for gid, name in name_of.items()}.get(asked)


def neighbours(order: list[str], step: str) -> tuple[int, str, str]:
    """A meeting step's place in ``order`` and the steps before and after it (itself at the
    ends)."""
    i = order.index(step)
    return i, order[max(i - 1, 0)], order[min(i + 1, len(order) - 1)]
