-- The filter's events, newest first, at most $limit rows (never more than 1,000 on a page).
SELECT f.id, f.occurred_at, f.time_precision, f.kind, f.category, f.source,
       g.name AS area_group, ar.name AS area, f.place, f.location_precision, f.description
FROM filtered_incidents($start, $end, $selection) AS f
LEFT JOIN areas AS ar ON ar.id = f.area_id
LEFT JOIN area_groups AS g ON g.id = f.area_group_id
ORDER BY f.occurred_at DESC, f.id DESC
LIMIT least($limit, 1000);
