-- Who reported this week: events per source in the week and over the 12 weeks before
-- ($start..$end as in situation_counts), including sources that sent nothing.
WITH counted AS (
    SELECT source,
           sum(n) FILTER (WHERE week = CAST($week_start AS DATE)) AS week,
           sum(n) FILTER (WHERE week < CAST($week_start AS DATE)) AS usual12
    FROM filtered_counts($start, $end, $selection)
    GROUP BY source
), known AS (
    SELECT code, sort_order FROM sources
    UNION ALL
    SELECT source, 1000 FROM counted WHERE source NOT IN (SELECT code FROM sources)
)
SELECT k.code AS source, coalesce(c.week, 0)::BIGINT AS week,
       coalesce(c.usual12, 0)::BIGINT AS usual12
FROM known AS k
LEFT JOIN counted AS c ON c.source = k.code
WHERE $selection.sources IS NULL OR list_contains($selection.sources, k.code)
ORDER BY k.sort_order, k.code;
