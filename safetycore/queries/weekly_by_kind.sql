-- Events per ISO week (Monday) and kind.
SELECT week, kind, sum(n)::BIGINT AS n
FROM filtered_counts($start, $end, $selection)
GROUP BY ALL
ORDER BY week, kind;
