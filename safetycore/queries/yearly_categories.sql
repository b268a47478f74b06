-- The yearly situation picture (safetycore/yearly.py): events and their cost per category in
-- the year ($s0 .. $e0, exclusive end) and the same dates of the two years before ($s1 .. $e1,
-- $s2 .. $e2). `span` is 0 for the year, 1 and 2 for the years before. Every category appears
-- (a zero year is a figure too); $sensitive says whether sensitive categories are counted.
WITH ev AS (
    SELECT i.category,
           CASE WHEN i.occurred_at >= $s0 AND i.occurred_at < $e0 THEN 0
                WHEN i.occurred_at >= $s1 AND i.occurred_at < $e1 THEN 1
                WHEN i.occurred_at >= $s2 AND i.occurred_at < $e2 THEN 2 END AS span,
           i.cost_sek
    FROM incidents AS i
    WHERE i.occurred_at >= $s2 AND i.occurred_at < $e0
      AND ($sensitive OR NOT i.sensitive)
), counted AS (
    SELECT category, span, count(*) AS n, coalesce(sum(cost_sek), 0) AS cost_sek,
           count(cost_sek) AS n_cost
    FROM ev
    WHERE span IS NOT NULL
    GROUP BY ALL
)
SELECT c.code AS category, c.kind, c.sensitive, s.span,
       coalesce(k.n, 0) AS n, coalesce(k.cost_sek, 0) AS cost_sek, coalesce(k.n_cost, 0) AS n_cost
FROM categories AS c
CROSS JOIN (SELECT unnest([0, 1, 2]) AS span) AS s
LEFT JOIN counted AS k ON k.category = c.code AND k.span = s.span
WHERE $sensitive OR NOT c.sensitive
ORDER BY c.sort_order, c.code, s.span;
