-- The yearly situation picture: who reported, and how well, in the year (span 0) and the year
-- before (span 1): events, the share with an exact time, located exactly or to the street,
-- placed in an area, with a cost and with the group involved; the months with any report.
WITH ev AS (
    SELECT i.*,
           CASE WHEN i.occurred_at >= $s0 AND i.occurred_at < $e0 THEN 0
                WHEN i.occurred_at >= $s1 AND i.occurred_at < $e1 THEN 1 END AS span
    FROM incidents AS i
    WHERE i.occurred_at >= $s1 AND i.occurred_at < $e0
      AND ($sensitive OR NOT i.sensitive)
)
SELECT span, source, count(*) AS n,
       count(*) FILTER (WHERE time_precision = 'exact') AS n_exact_time,
       count(*) FILTER (WHERE location_precision IN ('exact', 'street')) AS n_located,
       count(area_id) AS n_placed,
       count(cost_sek) AS n_cost,
       count(involved) AS n_involved,
       count(DISTINCT month(occurred_at)) AS months,
       max(occurred_at) AS last_event
FROM ev
WHERE span IS NOT NULL
GROUP BY ALL
ORDER BY span, n DESC, source;
