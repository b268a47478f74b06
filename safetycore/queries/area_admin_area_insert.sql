-- A new area, without aliases.
INSERT INTO areas VALUES ($id, $group, $name, $pop, $geojson, $lat, $lon, [])
