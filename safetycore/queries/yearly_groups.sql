-- The yearly situation picture: events and cost per area group and kind, for the year and the
-- same dates of the two years before (spans as in yearly_categories.sql). Events placed in no
-- area (e.g. police events at the municipality's centre) come as area_group_id NULL.
WITH ev AS (
    SELECT i.area_group_id, i.kind,
           CASE WHEN i.occurred_at >= $s0 AND i.occurred_at < $e0 THEN 0
                WHEN i.occurred_at >= $s1 AND i.occurred_at < $e1 THEN 1
                WHEN i.occurred_at >= $s2 AND i.occurred_at < $e2 THEN 2 END AS span,
           i.cost_sek
    FROM incidents AS i
    WHERE i.occurred_at >= $s2 AND i.occurred_at < $e0
      AND ($sensitive OR NOT i.sensitive)
)
SELECT area_group_id, kind, span, count(*) AS n, coalesce(sum(cost_sek), 0) AS cost_sek,
       count(cost_sek) AS n_cost
FROM ev
WHERE span IS NOT NULL
GROUP BY ALL
ORDER BY area_group_id NULLS LAST, kind, span;
