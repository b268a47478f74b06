-- Drawable events as points, one page of at most 5,000 (the page asks for two pages at most,
-- so no more than 10,000 points reach the browser). Only exact/street locations, never a
-- sensitive category, and no free text: category, time, area and named place only.
SELECT f.id, f.lat, f.lon, f.kind, f.category, lower(hex(f.h3_cell)) AS cell,
       CASE WHEN f.time_precision = 'exact' THEN strftime(f.occurred_at, '%Y-%m-%d %H:%M')
            WHEN f.time_precision = 'day' THEN strftime(f.occurred_at, '%Y-%m-%d')
            ELSE strftime(f.occurred_at, '%Y-%m') END AS time,
       coalesce(ar.name, '') AS area, coalesce(f.place, '') AS place
FROM filtered_incidents($start, $end, without_sensitive($selection)) AS f
LEFT JOIN areas AS ar ON ar.id = f.area_id
WHERE f.lat IS NOT NULL AND f.lon IS NOT NULL
  AND f.location_precision IN ('exact', 'street')
ORDER BY f.id
LIMIT 5000 OFFSET $offset;
