-- The cost of the problems an action targets, before and after its start (the same zones as
-- actions_effect_weekly.sql: its area, or within $radius_m of its point): `after` false for
-- the weeks before $start_ts, true for those after, within $win_start .. $win_end.
WITH ev AS (
    SELECT i.area_id, i.lat, i.lon, i.location_precision, i.cost_sek,
           i.occurred_at >= $start_ts AS after
    FROM filtered_incidents($win_start, $win_end, NULL, NULL, NULL, $categories, NULL,
                            $sensitive) AS i
    WHERE i.area_id IS NOT NULL
)
SELECT after, count(*) AS n, coalesce(sum(cost_sek), 0) AS cost_sek
FROM ev
WHERE CASE
          WHEN $lat IS NOT NULL
              THEN lat IS NOT NULL AND location_precision IN ('exact', 'street')
                   AND 6371000.0 * sqrt(power(radians(lat - $lat), 2)
                       + power(cos(radians($lat)) * radians(lon - $lon), 2)) <= $radius_m
          ELSE area_id = $target_area
      END
GROUP BY ALL
ORDER BY after;
