-- Places the coarse incidents from the registered frame _placed_coarse (id, area_id, lat, lon, precision, place).
UPDATE incidents
SET area_id = p.area_id, lat = p.lat, lon = p.lon, location_precision = p.precision,
    place = p.place, h3_cell = NULL
FROM _placed_coarse AS p
WHERE incidents.id = p.id
