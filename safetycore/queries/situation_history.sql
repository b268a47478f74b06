-- Weekly counts per area group (NULL: events without a known area) and category for the
-- baseline of the unusual-week flags (safetycore.signals): the years before the selected week,
-- from the weekly rollup. Events known only to the month (time_precision 'month') are taken
-- back out: they all sit on the month's first day and would make that week look unusual.
-- One row per series, its weeks and counts as lists, so years of weeks stay a few hundred rows.
WITH counted AS (
    SELECT week, area_group_id, category, kind, n
    FROM filtered_counts($start, $end, $selection)
    UNION ALL
    SELECT CAST(date_trunc('week', occurred_at) AS DATE), area_group_id, category, kind, -1
    FROM filtered_incidents($start, $end, $selection)
    WHERE time_precision = 'month'
), weekly AS (
    SELECT week, area_group_id, category, kind, sum(n)::BIGINT AS n
    FROM counted
    GROUP BY ALL
    HAVING sum(n) <> 0
)
SELECT area_group_id, category, kind,
       list(week ORDER BY week) AS weeks, list(n ORDER BY week) AS counts
FROM weekly
GROUP BY ALL
ORDER BY area_group_id NULLS LAST, category;
