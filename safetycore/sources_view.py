"""Datakällor's view: the filter's events and their data quality, the imports with the time
their events cover and whether they can still be undone, the sources gone quiet, the table
sizes and how the police's events were placed. Pure: it reads through a query runner
(``query(name, flt, **extra)``) and holds no Streamlit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from safetycore.filters import Filter
from safetycore.ingest import EXPORT_CAP
from safetycore.taxonomy import OTHER_CODES

QUIET_DAYS = 14  # a source without events for this long (after earlier ones) is listed
EVENT_ROWS = 1_000  # the newest events listed on the page

Query = Callable[..., pd.DataFrame]


@dataclass(frozen=True)
class Quality:
    """How precisely the filter's events are placed in space and time."""

    total: int
    without_area: int
    coarse_location: int  # not placed to a street or better
    coarse_time: int  # a day or a span rather than a time


@dataclass(frozen=True)
class Placement:
    """How the police's events were placed: in a named area, at a named locality, or at the
    municipality's centre (no better place given)."""

    total: int
    by_area: int
    by_locality: int
    at_centre: int


@dataclass(frozen=True)
class BatchSpan:
    """The time an import's events cover, and the ISO week of its last one."""

    first_event: pd.Timestamp
    last_event: pd.Timestamp
    last_week: str


@dataclass(frozen=True)
class SourcesView:
    """Everything Datakällor shows for one filter. Shared through the cache: read it, never
    change it."""

    in_filter: int  # the filter's events
    quality: Quality
    export_capped: bool  # more events than one export holds (EXPORT_CAP)
    batches: pd.DataFrame  # the imports, newest first, with first/last event and last week
    ranges: pd.DataFrame  # by import id: the first and last event it still has, the last week
    events: pd.DataFrame  # the filter's newest events (EVENT_ROWS)
    quiet: pd.DataFrame  # sources gone quiet for QUIET_DAYS
    table_counts: pd.DataFrame
    placement: Placement
    other: pd.DataFrame  # the raw types behind the "other" categories, by format

    def span(self, batch_id: int) -> BatchSpan | None:
        """What time an import's events cover; None when none of them is left."""
        if batch_id not in self.ranges.index:
            return None
        row = self.ranges.loc[batch_id]
        return BatchSpan(row["first_event"], row["last_event"], row["last_week"])

    def undoable(self, batch_id: int) -> int:
        """How many events undoing the import would remove: 0 once it is undone or when it
        imported none."""
        rows = self.batches[self.batches["id"] == batch_id]
        if rows.empty or pd.notna(rows["undone_at"].iloc[0]):
            return 0
        return int(rows["imported"].iloc[0])


def with_ranges(batches: pd.DataFrame, ranges: pd.DataFrame) -> pd.DataFrame:
    """The imports with the first and last event each still has, and the last one's week
    (``ranges`` indexed by import id)."""
    spans = ranges.reindex(batches["id"])
    return batches.assign(
        first_event=spans["first_event"].to_numpy(),
        last_event=spans["last_event"].to_numpy(),
        last_week=spans["last_week"].to_numpy(),
    )


def sources_view(query: Query, flt: Filter, *, today: dt.date) -> SourcesView:
    """Datakällor for ``flt``; ``today`` is the day the quiet sources are counted back from."""
    in_filter = int(query("kpi_by_kind", flt)["n"].sum())
    quality = query("data_quality", flt).iloc[0]
    placed = query("data_placement").iloc[0]
    ranges = query("import_batch_ranges").set_index("id")
    by_area, by_name = int(placed["by_area"]), int(placed["by_name"])
    return SourcesView(
        in_filter=in_filter,
        quality=Quality(
            total=int(quality["total"]),
            without_area=int(quality["without_area"]),
            coarse_location=int(quality["coarse_location"]),
            coarse_time=int(quality["coarse_time"]),
        ),
        export_capped=in_filter > EXPORT_CAP,
        batches=with_ranges(query("import_batches"), ranges),
        ranges=ranges,
        events=query("events_list", flt, limit=EVENT_ROWS),
        quiet=query("data_quiet_sources", today=today, quiet_days=QUIET_DAYS),
        table_counts=query("table_counts"),
        placement=Placement(
            total=int(placed["total"]),
            by_area=by_area,
            by_locality=by_name - by_area,
            at_centre=int(placed["at_centre"]),
        ),
        other=query("data_other_categories", other=OTHER_CODES),
    )
