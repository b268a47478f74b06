-- Areas with their group, for filters and labels.
SELECT a.id, a.name, a.area_group_id, a.population, a.centroid_lat, a.centroid_lon
FROM areas AS a
JOIN area_groups AS g ON g.id = a.area_group_id
ORDER BY g.sort_order, a.name;
