-- How the police's events (imports in the polisen format still in force) were placed: by the
-- area they name (at the area's centre), by the locality they name (at its point), or at the
-- municipality's centre because they name neither.
SELECT count(*) AS total,
       count(*) FILTER (WHERE i.location_precision = 'locality' AND a.id IS NOT NULL
                          AND abs(i.lat - a.centroid_lat) < 1e-7
                          AND abs(i.lon - a.centroid_lon) < 1e-7) AS by_area,
       count(*) FILTER (WHERE i.location_precision = 'locality') AS by_name,
       count(*) FILTER (WHERE i.location_precision IN ('municipality', 'county')) AS at_centre
FROM incidents AS i
JOIN import_batches AS b ON b.id = i.import_batch_id AND b.format = 'polisen'
LEFT JOIN areas AS a ON a.id = i.area_id;
