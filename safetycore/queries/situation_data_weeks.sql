-- Events per ISO week over all the data (no period), for the filter's area groups, areas, kinds,
-- categories, sources and sensitivity: the week picker lists every week back to the first one
-- with data, and Lägesbild says when the chosen week has none.
SELECT iso_week_label(r.week) AS iso_week, r.week AS monday, sum(r.n)::BIGINT AS n
FROM rollup_weekly AS r
WHERE (CAST($groups AS VARCHAR[]) IS NULL OR list_contains($groups, r.area_group_id))
  AND (CAST($areas AS VARCHAR[]) IS NULL OR list_contains($areas, r.area_id))
  AND (CAST($kinds AS VARCHAR[]) IS NULL OR list_contains($kinds, r.kind))
  AND (CAST($categories AS VARCHAR[]) IS NULL OR list_contains($categories, r.category))
  AND (CAST($sources AS VARCHAR[]) IS NULL OR list_contains($sources, r.source))
  AND ($sensitive OR NOT r.sensitive)
GROUP BY ALL
HAVING sum(r.n) > 0
ORDER BY monday DESC;
