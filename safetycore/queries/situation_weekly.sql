-- Events per ISO week and kind for the weeks in $start..$end (the page's trend strip).
SELECT iso_week_label(week) AS iso_week, week AS monday, kind, sum(n)::BIGINT AS n
FROM filtered_counts($start, $end, $selection)
GROUP BY ALL
ORDER BY monday, kind;
