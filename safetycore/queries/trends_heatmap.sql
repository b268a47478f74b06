-- Events per ISO weekday (1 = Monday) and hour, only for events whose time is exact.
SELECT isodow(occurred_at) AS weekday, hour(occurred_at) AS hour, count(*) AS n
FROM filtered_incidents($start, $end, $selection)
WHERE time_precision = 'exact'
GROUP BY 1, 2
ORDER BY 1, 2;
