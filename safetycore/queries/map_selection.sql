-- The events behind a selected cell ($cell at $resolution, as an integer; NULL for none) or
-- area ($area; NULL for none), newest first, at most $limit (never above 5,000). A cell holds
-- only drawable events; an area holds all of the filter's events there. No free text, and
-- no place name for a sensitive category.
SELECT f.id, f.occurred_at, f.time_precision, f.kind, f.category, f.source,
       g.name AS area_group, f.area_id, ar.name AS area,
       CASE WHEN f.sensitive THEN '' ELSE coalesce(f.place, '') END AS place,
       f.location_precision
FROM filtered_incidents($start, $end, $selection) AS f
LEFT JOIN areas AS ar ON ar.id = f.area_id
LEFT JOIN area_groups AS g ON g.id = f.area_group_id
WHERE ($cell IS NULL OR (h3_parent(f.h3_cell, $resolution) = CAST($cell AS UBIGINT)
                         AND f.location_precision IN ('exact', 'street') AND NOT f.sensitive))
  AND ($area IS NULL OR f.area_id = $area)
ORDER BY f.occurred_at DESC, f.id DESC
LIMIT least($limit, 5000);
