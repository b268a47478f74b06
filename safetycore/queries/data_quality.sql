-- Data quality of the filter's events: how many lack an area, how many have only a coarse
-- location (not drawn on maps), how many only a day or a month as time.
SELECT count(*) AS total,
       count(*) FILTER (WHERE area_id IS NULL) AS without_area,
       count(*) FILTER (WHERE location_precision NOT IN ('exact', 'street')) AS coarse_location,
       count(*) FILTER (WHERE location_precision = 'locality') AS locality,
       count(*) FILTER (WHERE location_precision IN ('municipality', 'county')) AS municipality,
       count(*) FILTER (WHERE time_precision <> 'exact') AS coarse_time
FROM filtered_incidents($start, $end, $selection);
