-- CompStat-style comparison windows ending on the period's last day ($end is exclusive):
-- last 7 days, last 28 days and year to date, each with the period just before it and the
-- same days a year earlier (the window dates are bound: $d7, $d28, $ytd and their pairs).
-- One row per area group (dimension 'group'), per category ('category') and in total ('total').
WITH base AS (
    SELECT occurred_at, category, coalesce(area_group_id, '') AS area_group_id
    FROM filtered_incidents(least($ly_ytd, $d28_ly, $d28_prev), $end, $groups, $areas, $kinds, $categories, $sources, $sensitive)
),
counted AS (
    SELECT CASE WHEN grouping(area_group_id) = 0 THEN 'group'
                WHEN grouping(category) = 0 THEN 'category' ELSE 'total' END AS dimension,
           CASE WHEN grouping(area_group_id) = 0 THEN area_group_id
                WHEN grouping(category) = 0 THEN category ELSE '' END AS key,
           count(*) FILTER (WHERE occurred_at >= $d7) AS d7,
           count(*) FILTER (WHERE occurred_at >= $d7_prev AND occurred_at < $d7) AS d7_prev,
           count(*) FILTER (WHERE occurred_at >= $d7_ly AND occurred_at < $d7_ly_end) AS d7_ly,
           count(*) FILTER (WHERE occurred_at >= $d28) AS d28,
           count(*) FILTER (WHERE occurred_at >= $d28_prev AND occurred_at < $d28) AS d28_prev,
           count(*) FILTER (WHERE occurred_at >= $d28_ly AND occurred_at < $d28_ly_end) AS d28_ly,
           count(*) FILTER (WHERE occurred_at >= $ytd) AS ytd,
           count(*) FILTER (WHERE occurred_at >= $ly_ytd AND occurred_at < $ly_ytd_end) AS ytd_ly
    FROM base
    GROUP BY GROUPING SETS ((area_group_id), (category), ())
)
-- Population for rates: the selected areas' when areas are chosen, else the area groups'.
, population AS (
    SELECT g.id AS area_group_id,
           CASE WHEN $areas IS NULL THEN max(g.population)
                ELSE sum(a.population) FILTER (WHERE list_contains($areas, a.id)) END AS population
    FROM area_groups AS g
    LEFT JOIN areas AS a ON a.area_group_id = g.id
    WHERE $groups IS NULL OR list_contains($groups, g.id)
    GROUP BY g.id
)
SELECT c.*, CASE WHEN c.dimension = 'group' THEN p.population
                 ELSE (SELECT sum(population) FROM population) END AS population
FROM counted AS c
LEFT JOIN population AS p ON c.dimension = 'group' AND p.area_group_id = c.key
ORDER BY c.dimension, c.key;
