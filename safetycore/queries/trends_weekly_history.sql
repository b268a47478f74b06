-- Events per ISO week (Monday) from $history_start to the period's end, for the filter's
-- other choices: the history an unusual-week flag compares each week with. Events known only
-- to the month are not in any week's count (they all sit on the month's first day).
SELECT CAST(date_trunc('week', occurred_at) AS DATE) AS week, count(*) AS n
FROM filtered_incidents($history_start, $end, $selection)
WHERE time_precision <> 'month'
GROUP BY 1
ORDER BY 1;
