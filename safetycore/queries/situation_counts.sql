-- The selected ISO week against last week, the same ISO week last year and the 12 weeks
-- before, per area group (NULL: events without a known area) and category. Whole weeks, so
-- the counts come from the weekly rollup (filtered_counts).
-- $start/$end cover the 12 weeks before the week plus the week itself ($week_start is its
-- Monday); $ly_start/$ly_end are the same ISO week last year. `usual12` is the sum over the
-- 12 weeks before the week (divide by 12 for the weekly average). Events known only to the
-- month are left out (n = -1 rows take them back out of the rollup's counts): they count in
-- monthly figures, never in a week's.
WITH counted AS (
    SELECT area_group_id, category, kind, week, n
    FROM filtered_counts($start, $end, $selection)
    UNION ALL
    SELECT area_group_id, category, kind, week, n
    FROM filtered_counts($ly_start, $ly_end, $selection)
    UNION ALL
    SELECT area_group_id, category, kind, CAST(date_trunc('week', occurred_at) AS DATE), -1
    FROM filtered_incidents($start, $end, $selection)
    WHERE time_precision = 'month'
    UNION ALL
    SELECT area_group_id, category, kind, CAST(date_trunc('week', occurred_at) AS DATE), -1
    FROM filtered_incidents($ly_start, $ly_end, $selection)
    WHERE time_precision = 'month'
)
SELECT area_group_id, category, kind,
       coalesce(sum(n) FILTER (WHERE week = CAST($week_start AS DATE)), 0)::BIGINT AS week,
       coalesce(sum(n) FILTER (WHERE week = CAST($week_start AS DATE) - INTERVAL 7 DAY), 0)::BIGINT AS last_week,
       coalesce(sum(n) FILTER (WHERE week = CAST($ly_start AS DATE)), 0)::BIGINT AS last_year,
       coalesce(sum(n) FILTER (WHERE week < CAST($week_start AS DATE)
                                 AND week >= CAST($start AS DATE)), 0)::BIGINT AS usual12
FROM counted
GROUP BY ALL
ORDER BY area_group_id NULLS LAST, category;
