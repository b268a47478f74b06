-- CompStat-style comparison windows ending on the period's last day ($end is exclusive):
-- last 7 days, last 28 days and year to date, each with the period just before it and the
-- same days a year earlier (the window dates are bound: $d7, $d28, $ytd and their pairs).
-- One row per area group (dimension 'group'), per category ('category') and in total ('total').
-- The 7- and 28-day windows and the periods before them lie in the last 56 days, their
-- year-earlier twins in 28 days a year back: two narrow scans of the incidents. The
-- year-to-date windows take their whole weeks from the weekly rollup (filtered_counts), so no
-- scan reaches back over the year. Raw rows count 1 each; rollup rows carry their count.
-- `part` says where a row comes from.
WITH rows AS (
    SELECT coalesce(area_group_id, '') AS area_group_id, category, occurred_at,
           'recent' AS part, 1 AS n
    FROM filtered_incidents(least($d7_prev, $d28_prev), $end, $selection)
    UNION ALL
    SELECT coalesce(area_group_id, ''), category, occurred_at, 'year_ago', 1
    FROM filtered_incidents(least($d7_ly, $d28_ly), greatest($d7_ly_end, $d28_ly_end), $selection)
    UNION ALL  -- the year's days before the last 56 (none early in the year)
    SELECT coalesce(area_group_id, ''), category, NULL, 'ytd', n
    FROM filtered_counts($ytd, greatest($ytd, least($d7_prev, $d28_prev)), $selection)
    UNION ALL
    SELECT coalesce(area_group_id, ''), category, NULL, 'ytd_ly', n
    FROM filtered_counts($ly_ytd, $ly_ytd_end, $selection)
),
counted AS (
    SELECT CASE WHEN grouping(area_group_id) = 0 THEN 'group'
                WHEN grouping(category) = 0 THEN 'category' ELSE 'total' END AS dimension,
           CASE WHEN grouping(area_group_id) = 0 THEN area_group_id
                WHEN grouping(category) = 0 THEN category ELSE '' END AS key,
           CAST(coalesce(sum(n) FILTER (WHERE occurred_at >= $d7 AND occurred_at < $end), 0) AS BIGINT) AS d7,
           CAST(coalesce(sum(n) FILTER (WHERE occurred_at >= $d7_prev AND occurred_at < $d7), 0) AS BIGINT) AS d7_prev,
           CAST(coalesce(sum(n) FILTER (WHERE occurred_at >= $d7_ly AND occurred_at < $d7_ly_end), 0) AS BIGINT) AS d7_ly,
           CAST(coalesce(sum(n) FILTER (WHERE occurred_at >= $d28 AND occurred_at < $end), 0) AS BIGINT) AS d28,
           CAST(coalesce(sum(n) FILTER (WHERE occurred_at >= $d28_prev AND occurred_at < $d28), 0) AS BIGINT) AS d28_prev,
           CAST(coalesce(sum(n) FILTER (WHERE occurred_at >= $d28_ly AND occurred_at < $d28_ly_end), 0) AS BIGINT) AS d28_ly,
           CAST(coalesce(sum(n) FILTER (WHERE part = 'ytd'
                                         OR (part = 'recent' AND occurred_at >= $ytd)), 0)
                AS BIGINT) AS ytd,
           CAST(coalesce(sum(n) FILTER (WHERE part = 'ytd_ly'), 0) AS BIGINT) AS ytd_ly
    FROM rows
    GROUP BY GROUPING SETS ((area_group_id), (category), ())
)
-- Population for rates: the selected areas' when areas are chosen, else the area groups'.
, population AS (
    SELECT g.id AS area_group_id,
           CASE WHEN $selection.areas IS NULL THEN max(g.population)
                ELSE sum(a.population) FILTER (WHERE list_contains($selection.areas, a.id)) END AS population
    FROM area_groups AS g
    LEFT JOIN areas AS a ON a.area_group_id = g.id
    WHERE $selection.area_groups IS NULL OR list_contains($selection.area_groups, g.id)
    GROUP BY g.id
)
SELECT c.*, CASE WHEN c.dimension = 'group' THEN p.population
                 ELSE (SELECT sum(population) FROM population) END AS population
FROM counted AS c
LEFT JOIN population AS p ON c.dimension = 'group' AND p.area_group_id = c.key
ORDER BY c.dimension, c.key;
