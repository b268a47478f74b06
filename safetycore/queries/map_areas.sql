-- Events per area for the choropleth: every event of the filter that has an area counts,
-- whatever its location precision (coarse events count here, they are only not drawn).
SELECT a.id AS area_id, a.name AS area, g.name AS area_group, a.population,
       count(f.id) AS n,
       count(f.id) FILTER (WHERE f.kind = 'incident') AS incidents,
       count(f.id) FILTER (WHERE f.kind = 'qol') AS qol,
       CASE WHEN a.population > 0 THEN round(1000.0 * count(f.id) / a.population, 2) END AS rate
FROM areas AS a
JOIN area_groups AS g ON g.id = a.area_group_id
LEFT JOIN filtered_incidents($start, $end, $selection) AS f
       ON f.area_id = a.id
GROUP BY a.id, a.name, g.name, a.population, g.sort_order
ORDER BY g.sort_order, a.name;
