-- The incidents placed only by locality or municipality, to place again by their text.
SELECT id, lat, lon, location_precision, place, description
FROM incidents
WHERE location_precision IN ('locality', 'municipality')
