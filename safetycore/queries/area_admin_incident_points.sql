-- The incidents with a position precise enough to place in an area.
SELECT id, lat, lon
FROM incidents
WHERE location_precision IN ('exact', 'street') AND lat IS NOT NULL AND lon IS NOT NULL
