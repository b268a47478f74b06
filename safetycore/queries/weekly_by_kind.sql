-- Events per ISO week (Monday) and kind.
SELECT CAST(date_trunc('week', occurred_at) AS DATE) AS week, kind, count(*) AS n
FROM filtered_incidents($start, $end, $groups, $areas, $kinds, $categories, $sources, $sensitive)
GROUP BY ALL
ORDER BY week, kind;
