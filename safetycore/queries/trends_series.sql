-- Events per ISO week (Monday; $grain = 'week') or calendar month ($grain = 'month'), split by
-- $split (kind | category | area_group | source | total), for the filter's period and for the
-- same days a year earlier ($ly_start .. $ly_end), shifted onto this year's buckets: 364 days
-- for weeks, so weekdays line up, and one calendar year for months.
WITH current_period AS (
    SELECT CAST(date_trunc($grain, occurred_at) AS DATE) AS bucket,
           CASE $split WHEN 'kind' THEN kind WHEN 'category' THEN category
                       WHEN 'area_group' THEN coalesce(area_group_id, '')
                       WHEN 'source' THEN source ELSE 'total' END AS series,
           count(*) AS n
    FROM filtered_incidents($start, $end, $selection)
    GROUP BY ALL
),
last_year AS (
    SELECT CAST(date_trunc($grain, CASE WHEN $grain = 'week' THEN occurred_at + INTERVAL 364 DAY
                                        ELSE occurred_at + INTERVAL 1 YEAR END) AS DATE) AS bucket,
           CASE $split WHEN 'kind' THEN kind WHEN 'category' THEN category
                       WHEN 'area_group' THEN coalesce(area_group_id, '')
                       WHEN 'source' THEN source ELSE 'total' END AS series,
           count(*) AS n_last_year
    FROM filtered_incidents($ly_start, $ly_end, $selection)
    GROUP BY ALL
)
SELECT bucket, series, coalesce(c.n, 0) AS n, coalesce(l.n_last_year, 0) AS n_last_year
FROM current_period AS c
FULL OUTER JOIN last_year AS l USING (bucket, series)
ORDER BY bucket, series
LIMIT 5001;
