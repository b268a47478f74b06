"""Händelser's view: the list of events to choose from, and one event with its organisations
(taking part, released, not invited), tasks, log and the counts read at its top.

Pure functions over a query runner (``query(name, flt, **extra)``, the dashboard passes its
cached ``ui.cache.query``): no Streamlit, testable on a bare connection. The writes stay in
``safetycore/events.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import pandas as pd

from safetycore import events

CLOSED_DAYS = 30  # closed events stay in the list for this many days

Query = Callable[..., pd.DataFrame]


@dataclass(frozen=True)
class EventList:
    """The events one may choose on the page, newest first, and the area groups an event may
    be opened in. Shared between sessions through the cache: read it, never change it."""

    now: dt.datetime
    listing: pd.DataFrame  # as handelse_list.sql returns it, indexed by the event's id
    ids: tuple[int, ...]  # in the listing's order
    any_open: bool
    group_names: Mapping[str, str]  # area group id -> name, in the meeting's order

    @property
    def empty(self) -> bool:
        return not self.ids

    def row(self, event_id: int) -> pd.Series:
        return self.listing.loc[event_id]


@dataclass(frozen=True)
class EventPage:
    """One event as the page shows it. ``outside`` are the owner organisations not taking
    part (the ones a coordinator may invite); ``active`` the ones taking part."""

    event_id: int
    event: Mapping[str, object]  # handelse_one.sql's row
    is_open: bool
    organisations: int  # the counts of the listing's row
    open_tasks: int
    overdue_tasks: int
    active: tuple[str, ...]
    released: pd.DataFrame  # organisation, invited_at, released_at: the released ones
    outside: tuple[str, ...]
    tasks: pd.DataFrame  # see handelse_tasks.sql
    log: pd.DataFrame  # logged_at, logged_by, entry, organisation, action_id, text


def event_list(run: Query, now: dt.datetime) -> EventList:
    """The open events and those closed in the last ``CLOSED_DAYS`` days, as of ``now``."""
    listing = run("handelse_list", None, now=now, closed_days=CLOSED_DAYS)
    groups = run("area_groups")
    return EventList(
        now=now,
        listing=listing.set_index("id"),
        ids=tuple(int(i) for i in listing["id"]),
        any_open=bool((listing["status"] == "open").any()),
        group_names=MappingProxyType(dict(zip(groups["id"], groups["name"], strict=True))),
    )


def event_page(run: Query, event_id: int, now: dt.datetime, orgs: Sequence[str]) -> EventPage:
    """One event as of ``now``; ``orgs`` are the organisations that may own a task (in their
    order), of which the ones not taking part may be invited."""
    detail = events.event_view(lambda name, **p: run(name, None, **p), event_id, now)
    counts = event_list(run, now).row(event_id)
    parts = detail.organisations
    taking_part = parts["released_at"].isna()
    active = tuple(parts.loc[taking_part, "organisation"])
    return EventPage(
        event_id=event_id,
        event=MappingProxyType(detail.event),
        is_open=detail.event["status"] == "open",
        organisations=int(counts["organisations"]),
        open_tasks=int(counts["open_tasks"]),
        overdue_tasks=int(counts["overdue_tasks"]),
        active=active,
        released=parts[~taking_part],
        outside=tuple(o for o in orgs if o not in set(active)),
        tasks=detail.tasks,
        log=detail.log,
    )
