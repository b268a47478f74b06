-- Headline counts for the filter: events per kind.
SELECT kind, sum(n)::BIGINT AS n
FROM filtered_counts($start, $end, $selection)
GROUP BY kind;
