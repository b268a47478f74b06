-- When the selection's data begin: its first event, found in the weekly rollup's first week and
-- then among that week's events (so no scan of the whole table). NULL: no events at all.
WITH first_week AS (
    SELECT min(week) AS week
    FROM filtered_counts(CAST('1900-01-01' AS TIMESTAMP), $end, $selection)
)
SELECT min(occurred_at) AS first_event
FROM filtered_incidents(CAST((SELECT week FROM first_week) AS TIMESTAMP),
                        CAST((SELECT week FROM first_week) AS TIMESTAMP) + INTERVAL 7 DAY,
                        $selection);
