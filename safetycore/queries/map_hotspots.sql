-- The top $top cells (resolution $resolution) of the filter, with their share of all the
-- filter's events and their persistence: in how many of the last $weeks seven-day blocks
-- ending on the period's last day the cell was among the $top cells (same filter otherwise).
WITH period AS (
    SELECT h3_cell, category, place, area_id
    FROM filtered_incidents($start, $end, without_sensitive($selection))
    WHERE h3_cell IS NOT NULL AND location_precision IN ('exact', 'street')
),
total AS (
    SELECT count(*) AS n
    FROM filtered_incidents($start, $end, $selection)
),
top_cells AS (
    SELECT h3_parent(h3_cell, $resolution) AS cell, count(*) AS n,
           mode(category) AS top_category, mode(place) AS place, mode(area_id) AS area_id
    FROM period
    GROUP BY 1
    ORDER BY n DESC, cell
    LIMIT $top
),
blocks AS (
    SELECT h3_parent(h3_cell, $resolution) AS cell,
           CAST(floor((date_diff('day', occurred_at, $end) - 1) / 7) AS INTEGER) AS block,
           count(*) AS n
    FROM filtered_incidents(CAST($end AS TIMESTAMP) - to_days(CAST(7 * $weeks AS INTEGER)), $end,
                            without_sensitive($selection))
    WHERE h3_cell IS NOT NULL AND location_precision IN ('exact', 'street')
    GROUP BY 1, 2
),
ranked AS (
    SELECT cell, block, row_number() OVER (PARTITION BY block ORDER BY n DESC, cell) AS rank
    FROM blocks
)
SELECT lower(hex(t.cell)) AS cell, t.n,
       round(100.0 * t.n / nullif((SELECT n FROM total), 0), 1) AS share,
       (SELECT count(*) FROM ranked AS r WHERE r.cell = t.cell AND r.rank <= $top) AS persistence,
       t.top_category, coalesce(t.place, '') AS place, coalesce(ar.name, '') AS area
FROM top_cells AS t
LEFT JOIN areas AS ar ON ar.id = t.area_id
ORDER BY t.n DESC, t.cell;
