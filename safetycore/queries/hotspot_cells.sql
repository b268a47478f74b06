-- Events per H3 cell (resolution $resolution) and week of the emerging-hotspot window
-- (safetycore/hotspots.py): weeks counted from $window_start (0 = its first week), one row per
-- cell with its weeks and counts as lists. Only events precise enough to place (exact or
-- street), known to the day (not only the month), never sensitive categories.
WITH weekly AS (
    SELECT h3_parent(h3_cell, $resolution) AS cell,
           CAST(date_diff('day', CAST($window_start AS TIMESTAMP), occurred_at) // 7 AS INTEGER) AS week,
           count(*) AS n,
           mode(area_id) AS area_id,
           mode(area_group_id) AS area_group_id
    FROM filtered_incidents($start, $end, without_sensitive($selection))
    WHERE h3_cell IS NOT NULL
      AND location_precision IN ('exact', 'street')
      AND time_precision <> 'month'
      AND area_group_id IS NOT NULL
    GROUP BY ALL
)
SELECT lower(hex(cell)) AS cell, list(week ORDER BY week) AS weeks, list(n ORDER BY week) AS counts,
       arg_max(area_id, n) AS area_id, arg_max(area_group_id, n) AS area_group_id
FROM weekly
GROUP BY cell
ORDER BY cell
LIMIT 5000;
