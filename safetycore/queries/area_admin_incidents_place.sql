-- Places incidents in the areas of the registered frame _placed_points (id, area_id).
UPDATE incidents
SET area_id = p.area_id
FROM _placed_points AS p
WHERE incidents.id = p.id AND p.area_id IS NOT NULL
