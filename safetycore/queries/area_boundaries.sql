-- Area polygons (GeoJSON text) for the reference layer of every map.
SELECT a.id, a.name, a.area_group_id, g.name AS area_group_name, a.population, a.boundary_geojson
FROM areas AS a
JOIN area_groups AS g ON g.id = a.area_group_id
ORDER BY g.sort_order, a.name;
