-- The week's events per area group and H3 cell (resolution $resolution), with the 12 weeks
-- before for spotting new hotspots. Only events precise enough to place (and to put in a week:
-- not those known only to the month), never sensitive
-- categories; cells with fewer than $min_cell events this week are left out here, in SQL,
-- so they never reach the page. Cells are H3 hex strings (a UBIGINT would arrive as a float),
-- formatted after grouping on the integer so only the result rows are converted.
SELECT area_group_id, lower(hex(cell)) AS cell, n, incidents, qol, before12, area_id
FROM (
    SELECT area_group_id,
           h3_parent(h3_cell, $resolution) AS cell,
           count(*) FILTER (WHERE occurred_at >= $week_start) AS n,
           count(*) FILTER (WHERE occurred_at >= $week_start AND kind = 'incident') AS incidents,
           count(*) FILTER (WHERE occurred_at >= $week_start AND kind = 'qol') AS qol,
           count(*) FILTER (WHERE occurred_at < $week_start) AS before12,
           mode(area_id) AS area_id
    FROM filtered_incidents($start, $end, without_sensitive($selection))
    WHERE h3_cell IS NOT NULL
      AND location_precision IN ('exact', 'street')
      AND time_precision <> 'month'
      AND area_group_id IS NOT NULL
    GROUP BY ALL
    HAVING count(*) FILTER (WHERE occurred_at >= $week_start) >= greatest($min_cell, 1)
)
ORDER BY area_group_id, n DESC, cell
LIMIT 5000;
