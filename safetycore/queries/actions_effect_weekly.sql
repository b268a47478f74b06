-- Weekly counts around an action's start, for the effect evaluation (safetycore/effect.py).
-- Weeks are 7-day bins counted from $start_ts (-1 = the last week before the start).
-- zone: 'target' (the action's area, or within $radius_m of its point: only events located
-- exactly or to the street), 'neighbours' ($neighbours: the areas touching the target area),
-- 'comparison' ($comparison_area, or when NULL every other area). The rest of a point action's
-- own area belongs to no zone. cost_sek: the repair and cleaning cost of those events (the
-- yearly situation picture sets it beside the action's own cost).
WITH ev AS (
    SELECT i.area_id, i.lat, i.lon, i.location_precision, i.cost_sek,
           CAST(floor(date_diff('day', $start_ts, i.occurred_at) / 7.0) AS INTEGER) AS week
    FROM filtered_incidents($win_start, $win_end,
                            struct_pack(area_groups := NULL, areas := NULL, kinds := NULL,
                                        categories := $categories, sources := NULL,
                                        include_sensitive := $sensitive)) AS i
    WHERE i.area_id IS NOT NULL
), zoned AS (
    SELECT week, cost_sek,
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
SELECT zone, week, count(*) AS n, coalesce(sum(cost_sek), 0) AS cost_sek
FROM zoned
WHERE zone IS NOT NULL
GROUP BY ALL
ORDER BY zone, week;
