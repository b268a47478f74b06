-- The yearly situation picture: events per month and kind in the year and the same dates of
-- the two years before (spans as in yearly_categories.sql), for the seasonality.
WITH ev AS (
    SELECT month(i.occurred_at) AS month, i.kind,
           CASE WHEN i.occurred_at >= $s0 AND i.occurred_at < $e0 THEN 0
                WHEN i.occurred_at >= $s1 AND i.occurred_at < $e1 THEN 1
                WHEN i.occurred_at >= $s2 AND i.occurred_at < $e2 THEN 2 END AS span
    FROM incidents AS i
    WHERE i.occurred_at >= $s2 AND i.occurred_at < $e0
      AND ($sensitive OR NOT i.sensitive)
)
SELECT span, month, kind, count(*) AS n
FROM ev
WHERE span IS NOT NULL
GROUP BY ALL
ORDER BY span, month, kind;
