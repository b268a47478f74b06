-- First decisions on every candidate row, in the order a reason wins (a row keeps the first
-- that applies): what the parser refused, not an incident, unknown category, no readable
-- time, a time in the future, a time before the earliest plausible date, impossible coordinates, no location at all. Then where each
-- open row must be placed: by its point (`locate`), at its named area's centre (`to_centre`),
-- or nowhere (`coarse`: municipality or county precision, never in an area).
CREATE OR REPLACE TEMP TABLE _dec AS
WITH c AS (
    SELECT pos, outcome, reason, category, category_raw, occurred_at, lat, lon, area_id,
           lat IS NOT NULL AND lon IS NOT NULL AS has_xy,
           coalesce(location_precision IN ('municipality', 'county'), false) AS coarse
    FROM _cand
), d AS (
    SELECT *,
           CASE
               WHEN outcome IS NOT NULL THEN outcome
               WHEN category = $skip THEN 'skipped'
               WHEN category IS NULL OR NOT list_contains($known, category) THEN 'rejected'
               WHEN occurred_at IS NULL THEN 'rejected'
               WHEN occurred_at > $future_limit THEN 'rejected'
               WHEN occurred_at < $earliest_limit THEN 'rejected'
               WHEN has_xy AND (abs(lat) > 90 OR abs(lon) > 180) THEN 'rejected'
               WHEN NOT coarse AND NOT has_xy AND area_id IS NULL THEN 'rejected'
           END AS decided,
           CASE
               WHEN outcome IS NOT NULL THEN reason
               WHEN category = $skip
                   THEN 'not_incident' || coalesce(': ' || NULLIF(category_raw, ''), '')
               WHEN category IS NULL OR NOT list_contains($known, category)
                   THEN 'unknown_category' || coalesce(': ' || NULLIF(category_raw, ''), '')
               WHEN occurred_at IS NULL THEN 'unparseable_time'
               WHEN occurred_at > $future_limit
                   THEN 'future_time: ' || strftime(occurred_at, '%Y-%m-%d %H:%M')
               WHEN occurred_at < $earliest_limit
                   THEN 'implausible_time: ' || strftime(occurred_at, '%Y-%m-%d %H:%M')
               WHEN has_xy AND (abs(lat) > 90 OR abs(lon) > 180) THEN 'bad_coordinates'
               WHEN NOT coarse AND NOT has_xy AND area_id IS NULL THEN 'no_location'
           END AS why
    FROM c
)
SELECT pos, decided AS outcome, why AS reason, coarse,
       decided IS NULL AND NOT coarse AND has_xy AS locate,
       decided IS NULL AND NOT coarse AND NOT has_xy AND area_id IS NOT NULL AS to_centre
FROM d;
