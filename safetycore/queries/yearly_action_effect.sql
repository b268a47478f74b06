-- An action's before/after counts and the cost of the problems it targets, for the yearly
-- situation picture: the zones of actions_effect_weekly.sql ('target': the action's area, or
-- within $radius_m of its point, events located exactly or to the street; 'neighbours':
-- $neighbours; 'comparison': $comparison_area, or when NULL every other area), summed before
-- and after $start_ts within $win_start .. $win_end instead of per week.
WITH ev AS (
    SELECT i.area_id, i.lat, i.lon, i.location_precision, i.cost_sek,
           i.occurred_at >= $start_ts AS after
    FROM filtered_incidents($win_start, $win_end, NULL, NULL, NULL, $categories, NULL,
                            $sensitive) AS i
    WHERE i.area_id IS NOT NULL
), zoned AS (
    SELECT after, cost_sek,
           CASE
               WHEN $lat IS NOT NULL AND lat IS NOT NULL
                    AND location_precision IN ('exact', 'street')
                    AND 6371000.0 * sqrt(power(radians(lat - $lat), 2)
                        + power(cos(radians($lat)) * radians(lon - $lon), 2)) <= $radius_m
                   THEN 'target'
               WHEN area_id = $target_area AND $lat IS NULL THEN 'target'
               WHEN area_id = $target_area THEN NULL
               WHEN area_id = $comparison_area THEN 'comparison'
               WHEN $neighbours IS NOT NULL AND list_contains($neighbours, area_id)
                   THEN 'neighbours'
               WHEN $comparison_area IS NULL THEN 'comparison'
           END AS zone
    FROM ev
)
SELECT zone, after, count(*) AS n, coalesce(sum(cost_sek), 0) AS cost_sek
FROM zoned
WHERE zone IS NOT NULL
GROUP BY ALL
ORDER BY zone, after;
