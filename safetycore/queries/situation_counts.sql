-- The selected ISO week against last week, the same ISO week last year and the usual level,
-- per area group (NULL: events without a known area) and category.
-- $start/$end cover the 12 weeks before the week plus the week itself ($week_start is its
-- Monday); $ly_start/$ly_end are the same ISO week last year. `usual12` is the sum over the
-- 12 weeks before the week (divide by 12 for the weekly average).
WITH recent AS (
    SELECT f.area_group_id, f.category, f.kind,
           CASE WHEN f.occurred_at >= $week_start THEN 'week'
                WHEN f.occurred_at >= $week_start - INTERVAL 7 DAY THEN 'last_week'
                ELSE 'before' END AS bucket
    FROM filtered_incidents($start, $end, $groups, $areas, $kinds, $categories, $sources, $sensitive) AS f
), last_year AS (
    SELECT y.area_group_id, y.category, y.kind, 'last_year' AS bucket
    FROM filtered_incidents($ly_start, $ly_end, $groups, $areas, $kinds, $categories, $sources, $sensitive) AS y
)
SELECT area_group_id, category, kind,
       count(*) FILTER (WHERE bucket = 'week') AS week,
       count(*) FILTER (WHERE bucket = 'last_week') AS last_week,
       count(*) FILTER (WHERE bucket = 'last_year') AS last_year,
       count(*) FILTER (WHERE bucket IN ('last_week', 'before')) AS usual12
FROM (SELECT * FROM recent UNION ALL SELECT * FROM last_year)
GROUP BY ALL
ORDER BY area_group_id NULLS LAST, category;
