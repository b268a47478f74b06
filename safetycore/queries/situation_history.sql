-- Weekly counts per area group and kind for the seasonal baseline of the flags
-- (analysis.seasonal_expected): the years before the selected week, from the weekly rollup.
SELECT week, area_group_id, kind, sum(n)::BIGINT AS n
FROM filtered_counts($start, $end, $groups, $areas, $kinds, $categories, $sources, $sensitive)
GROUP BY ALL
ORDER BY week, area_group_id, kind;
