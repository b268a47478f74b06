-- Open actions (open or in progress) as map markers: their own position, else their area's
-- centroid, else the area group's first area's centroid. Titles only, no description.
SELECT a.id, a.title, a.status, a.priority, a.due_date,
       coalesce(ar.name, '') AS area, g.name AS area_group,
       coalesce(a.lat, ar.centroid_lat) AS lat, coalesce(a.lon, ar.centroid_lon) AS lon,
       coalesce(a.due_date < $today, false) AS overdue  -- no due date: not overdue
FROM actions AS a
JOIN area_groups AS g ON g.id = a.area_group_id
LEFT JOIN areas AS ar ON ar.id = a.area_id
WHERE a.status IN ('open', 'in_progress')
  AND ($selection.area_groups IS NULL OR list_contains($selection.area_groups, a.area_group_id))
  AND ($selection.areas IS NULL OR a.area_id IS NULL OR list_contains($selection.areas, a.area_id))
  AND coalesce(a.lat, ar.centroid_lat) IS NOT NULL
ORDER BY a.due_date NULLS LAST, a.id
LIMIT 1000;
