-- Sources that went quiet: they reported in the eight weeks before the last $quiet_days days
-- but not in those days (up to $today). Whole database, not the filter: this is about intake.
-- Only those eight weeks and the quiet days are read (a quiet source's last event lies in
-- them), so the scan stays small on a large database.
WITH per_source AS (
    SELECT source,
           max(occurred_at) AS last_event,
           count(*) FILTER (WHERE occurred_at >= $today - to_days(CAST($quiet_days AS INTEGER)) + INTERVAL 1 DAY)
               AS recent,
           count(*) FILTER (WHERE occurred_at < $today - to_days(CAST($quiet_days AS INTEGER)) + INTERVAL 1 DAY)
               AS before
    FROM incidents
    WHERE occurred_at >= $today - to_days(CAST($quiet_days AS INTEGER) + 56) + INTERVAL 1 DAY
      AND occurred_at < $today + INTERVAL 1 DAY
    GROUP BY source
)
SELECT p.source, p.last_event, p.before AS events_before, p.recent AS events_recent
FROM per_source AS p
WHERE p.recent = 0 AND p.before > 0
ORDER BY p.before DESC
LIMIT 100;
