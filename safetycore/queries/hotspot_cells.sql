-- Events per H3 cell (resolution $resolution) and week of the emerging-hotspot window
-- (safetycore/hotspots.py): weeks counted from $window_start (0 = its first week), one row per
-- cell with its weeks and counts as lists, and the cell's area and area group: those with the
-- most of its events in the window. Only events precise enough to place (exact or street),
-- known to the day (not only the month), never sensitive categories.
WITH counted AS (
    SELECT h3_parent(h3_cell, $resolution) AS cell,
           CAST(date_diff('day', CAST($window_start AS TIMESTAMP), occurred_at) // 7 AS INTEGER) AS week,
           area_id, area_group_id, count(*) AS n
    FROM filtered_incidents($start, $end, without_sensitive($selection))
    WHERE h3_cell IS NOT NULL
      AND location_precision IN ('exact', 'street')
      AND time_precision <> 'month'
      AND area_group_id IS NOT NULL
    GROUP BY ALL
), weekly AS (
    SELECT cell, week, sum(n)::BIGINT AS n
    FROM counted
    GROUP BY ALL
), places AS (
    SELECT cell, arg_max(struct_pack(area_id := area_id, area_group_id := area_group_id), n) AS place
    FROM (SELECT cell, area_id, area_group_id, sum(n) AS n FROM counted GROUP BY ALL)
    GROUP BY cell
)
SELECT lower(hex(cell)) AS cell, list(week ORDER BY week) AS weeks, list(n ORDER BY week) AS counts,
       any_value(place.area_id) AS area_id, any_value(place.area_group_id) AS area_group_id
FROM weekly JOIN places USING (cell)
GROUP BY cell
ORDER BY cell
LIMIT 5000;
