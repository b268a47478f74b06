-- Sets an area's group, name, population, boundary and centroid.
UPDATE areas
SET area_group_id = $group, name = $name, population = $pop,
    boundary_geojson = $geojson, centroid_lat = $lat, centroid_lon = $lon
WHERE id = $id
