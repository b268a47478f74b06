"""Årlig lägesbild's view: the years a reader may pick, and for one year the picture
(``yearly.yearly_picture``), its tables and sentences in the reader's language
(``yearly_report.Content``) and the figures read at the top of the page.

Pure: both functions read through a query runner (``run(name, flt, **extra)``; the dashboard
passes its cached ``ui.cache.query``) and hold no Streamlit. The page takes no filter: the
yearly picture covers the whole municipality by law.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from safetycore import yearly
from safetycore import yearly_report as yrep

Runner = Callable[..., pd.DataFrame]


@dataclass(frozen=True)
class YearChoices:
    """The years offered, newest first, and the one shown first."""

    years: tuple[int, ...]
    default_index: int  # the last complete year when there is one


@dataclass(frozen=True)
class YearlyView:
    """Everything the page shows for one year. Shared through the cache: read it, never
    change it."""

    picture: yearly.YearlyPicture
    content: yrep.Content  # the picture's tables and sentences in the reader's language
    internal: bool  # the internal version, with the sensitive categories
    count_delta: float | None  # the year's count against last year's same dates (None: unknown)
    cost_delta: float | None  # the same for the cost
    youth_share: float  # of the events whose involved are known, those with young people
    file_stem: str  # the downloaded document's name without its extension

    @property
    def year(self) -> int:
        return self.picture.year


def year_choices(run: Runner, today: dt.date) -> YearChoices:
    """From the running year back to the first year with events (at least to last year)."""
    stamp = pd.Timestamp(today)
    first_event = run("yearly_coverage", s0=stamp, e0=stamp)["first_event"].iloc[0]
    first_year = today.year - 1 if pd.isna(first_event) else pd.Timestamp(first_event).year
    years = tuple(range(today.year, min(first_year, today.year - 1) - 1, -1))
    return YearChoices(years=years, default_index=1 if len(years) > 1 else 0)


def _delta(now: float | None, before: float | None) -> float | None:
    return None if now is None or before is None else now - before


def yearly_view(
    run: Runner,
    year: int,
    *,
    today: dt.date,
    internal: bool,
    min_count: int,
    lang: str,
    municipality: str,
) -> YearlyView:
    """The page's view of ``year`` as of ``today``, in ``lang``."""
    p = yearly.yearly_picture(run, int(year), today=today, internal=internal, min_count=min_count)
    c = yrep.Content(p, lang, municipality=municipality)
    known = sum(v or 0 for v in p.involved.values()) or 1
    return YearlyView(
        picture=p,
        content=c,
        internal=internal,
        count_delta=_delta(p.total.count, p.total.previous[c.y1]),
        cost_delta=_delta(p.total.cost_sek, p.total.cost_previous),
        youth_share=(p.involved["youth"] or 0) / known,
        file_stem=f"arsrapport-{p.year}{'-intern' if internal else ''}",
    )
