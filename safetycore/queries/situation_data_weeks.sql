-- Events per ISO week over all the data (no period), for the filter's area groups, areas, kinds,
-- categories, sources and sensitivity: the week picker lists every week back to the first one
-- with data, and Lägesbild says when the chosen week has none.
SELECT iso_week_label(r.week) AS iso_week, r.week AS monday, sum(r.n)::BIGINT AS n
FROM rollup_weekly AS r
WHERE ($selection['area_groups'] IS NULL
       OR list_contains($selection['area_groups'], r.area_group_id))
  AND ($selection['areas'] IS NULL OR list_contains($selection['areas'], r.area_id))
  AND ($selection['kinds'] IS NULL OR list_contains($selection['kinds'], r.kind))
  AND ($selection['categories'] IS NULL OR list_contains($selection['categories'], r.category))
  AND ($selection['sources'] IS NULL OR list_contains($selection['sources'], r.source))
  AND ($selection['include_sensitive'] OR NOT r.sensitive)
GROUP BY ALL
HAVING sum(r.n) > 0
ORDER BY monday DESC;
