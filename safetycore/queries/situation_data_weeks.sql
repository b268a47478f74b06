-- Events per ISO week over all the data (no period), for the filter's area groups, areas, kinds,
-- categories, sources and sensitivity: the week picker lists every week back to the first one
-- with data, and Lägesbild says when the chosen week has none.
SELECT iso_week_label(r.week) AS iso_week, r.week AS monday, sum(r.n)::BIGINT AS n
FROM rollup_weekly AS r
WHERE in_selection($selection, r.area_group_id, r.area_id, r.kind, r.category, r.source,
                   r.sensitive)
GROUP BY ALL
HAVING sum(r.n) > 0
ORDER BY monday DESC;
