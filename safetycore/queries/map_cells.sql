-- Events per H3 cell at resolution $resolution (coarser than the stored 9 by bit arithmetic),
-- only for events precise enough to place and never for sensitive categories. The cell is
-- returned as its H3 hex string: a UBIGINT would arrive in pandas as a lossy float. Grouping
-- on the integer first and formatting only the (few) result rows keeps the scan cheap.
-- top_category is the cell's most frequent category (for colouring and the tooltip).
SELECT lower(hex(cell)) AS cell, n, incidents, qol, top_category, latest
FROM (
    SELECT h3_parent(h3_cell, $resolution) AS cell,
           count(*) AS n,
           count(*) FILTER (WHERE kind = 'incident') AS incidents,
           count(*) FILTER (WHERE kind = 'qol') AS qol,
           mode(category) AS top_category,
           CAST(max(occurred_at) AS DATE) AS latest
    FROM filtered_incidents($start, $end, without_sensitive($selection))
    WHERE h3_cell IS NOT NULL
      AND location_precision IN ('exact', 'street')
    GROUP BY 1
)
ORDER BY n DESC, cell
LIMIT 5000;
