-- The candidate rows with valid coordinates, with how each is to be located.
SELECT c.pos, c.lat, c.lon, d.locate
FROM _cand AS c
JOIN _dec AS d USING (pos)
WHERE abs(c.lat) <= 90 AND abs(c.lon) <= 180
