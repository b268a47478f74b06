-- Events per area group and kind with the group's population, for rates per 1,000.
-- Events without an area (e.g. placed only at the municipality) form their own row.
SELECT g.id AS area_group_id,
       g.name AS area_group,
       g.population,
       count(*) FILTER (WHERE f.kind = 'incident') AS incidents,
       count(*) FILTER (WHERE f.kind = 'qol') AS qol,
       count(f.kind) AS total
FROM area_groups AS g
LEFT JOIN filtered_incidents($start, $end, $groups, $areas, $kinds, $categories, $sources, $sensitive) AS f
       ON f.area_group_id = g.id
WHERE $groups IS NULL OR list_contains($groups, g.id)
GROUP BY ALL
ORDER BY min(g.sort_order);
