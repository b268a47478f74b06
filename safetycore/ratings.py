"""The meeting's weekly judgement per area group: a rating 1-5 and a short comment.

One rating per area group and ISO week; saving again replaces it and records who saved it and
when (``rated_by``, ``rated_at``). Every save is one transaction and needs the ``rate_areas``
permission.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from safetycore import clock, db, privacy, queries
from safetycore.access import Actor, require
from safetycore.filters import iso_week_bounds, iso_week_label

MAX_COMMENT = 280
RATINGS = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class Rating:
    area_group_id: str
    iso_week: str
    rating: int
    comment: str
    rated_by: str
    rated_at: dt.datetime


def _mask(text: str) -> str:
    """Personal identity and phone numbers, e-mail addresses and likely names masked."""
    masked = privacy.mask(text)
    return text if masked is None else masked


def validate(
    area_group_id: str, iso_week: str, rating, comment: str | None
) -> tuple[str, int, str]:
    """Check the values; raises ValueError with a message that says what to fix."""
    try:
        monday, _ = iso_week_bounds(iso_week)
    except ValueError as exc:
        raise ValueError(f"{iso_week!r} is not an ISO week like 2026-W47.") from exc
    if iso_week_label(monday) != iso_week:
        raise ValueError(f"{iso_week!r} is not an ISO week like 2026-W47.")
    try:
        value = int(rating)
    except (TypeError, ValueError) as exc:
        raise ValueError("Choose a rating from 1 to 5.") from exc
    if value not in RATINGS or value != rating:
        raise ValueError("Choose a rating from 1 to 5.")
    text = " ".join((comment or "").split())
    if len(text) > MAX_COMMENT:
        raise ValueError(f"Keep the comment to {MAX_COMMENT} characters (it has {len(text)}).")
    if not area_group_id:
        raise ValueError("Choose an area group.")
    return iso_week, value, _mask(text)


def save_rating(
    con,
    actor: Actor,
    area_group_id: str,
    iso_week: str,
    rating: int,
    comment: str = "",
    *,
    now: dt.datetime | None = None,
) -> Rating:
    """Save (or replace) the rating of an area group for a week, in one transaction."""
    require(actor, "rate_areas")
    iso_week, value, text = validate(area_group_id, iso_week, rating, comment)
    at = (now or clock.now_for(con)).replace(microsecond=0)
    with db.transaction(con) as cur:
        known = db.scalar(queries.execute(cur, "ratings_group_exists", id=area_group_id))
        if not known:
            raise ValueError(f"There is no area group {area_group_id!r}.")
        queries.execute(
            cur,
            "ratings_upsert",
            group=area_group_id,
            week=iso_week,
            rating=value,
            comment=text,
            by=actor.identity.strip(),
            at=at,
        )
    return Rating(area_group_id, iso_week, value, text, actor.identity.strip(), at)


def get_rating(con, area_group_id: str, iso_week: str) -> Rating | None:
    cur = con.cursor()
    try:
        row = queries.execute(cur, "ratings_one", group=area_group_id, week=iso_week).fetchone()
    finally:
        cur.close()
    return Rating(*row) if row else None
