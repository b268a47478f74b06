-- The filter's events for the CSV export, newest first, at most $cap rows (the page says so
-- when there are more). Codes, not labels: the file is for further work.
SELECT f.id, f.occurred_at, f.time_precision, f.kind, f.category, f.source,
       g.name AS area_group, ar.name AS area, f.place, f.location_precision,
       f.lat, f.lon, f.description, f.import_batch_id
FROM filtered_incidents($start, $end, $selection) AS f
LEFT JOIN areas AS ar ON ar.id = f.area_id
LEFT JOIN area_groups AS g ON g.id = f.area_group_id
ORDER BY f.occurred_at DESC, f.id DESC
LIMIT $cap;
