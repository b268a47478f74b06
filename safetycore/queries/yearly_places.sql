-- The yearly situation picture: places that recur. Places are H3 cells at resolution $res
-- (about 0.7 km2 at 8) of the events located exactly or to the street (sensitive categories
-- never have a cell), counted in the year and the same dates of the two years before. The
-- cells with at least $min_n events in one of the spans, the busiest first (at most $limit),
-- with their area and the most frequent place text of the year (`place`, for internal use).
-- Cells are H3 hex strings (a UBIGINT would arrive as a float and lose its last digits).
WITH ev AS (
    SELECT h3_parent(i.h3_cell, $res) AS cell, i.area_id, i.place,
           CASE WHEN i.occurred_at >= $s0 AND i.occurred_at < $e0 THEN 0
                WHEN i.occurred_at >= $s1 AND i.occurred_at < $e1 THEN 1
                WHEN i.occurred_at >= $s2 AND i.occurred_at < $e2 THEN 2 END AS span
    FROM incidents AS i
    WHERE i.occurred_at >= $s2 AND i.occurred_at < $e0
      AND i.h3_cell IS NOT NULL
      AND NOT i.sensitive
), per_cell AS (
    SELECT cell,
           count(*) FILTER (WHERE span = 0) AS n0,
           count(*) FILTER (WHERE span = 1) AS n1,
           count(*) FILTER (WHERE span = 2) AS n2,
           mode(area_id) AS area_id,
           mode(place) FILTER (WHERE span = 0) AS place
    FROM ev
    WHERE span IS NOT NULL
    GROUP BY cell
)
SELECT lower(hex(p.cell)) AS cell, p.n0, p.n1, p.n2, p.area_id, a.name AS area, a.area_group_id, p.place
FROM per_cell AS p
LEFT JOIN areas AS a ON a.id = p.area_id
WHERE greatest(p.n0, p.n1, p.n2) >= $min_n
ORDER BY p.n0 DESC, p.n1 DESC, p.cell
LIMIT $limit;
