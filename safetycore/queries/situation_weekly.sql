-- Events per ISO week and kind for the weeks in $start..$end (the page's trend strip).
SELECT iso_week_label(occurred_at) AS iso_week,
       CAST(date_trunc('week', occurred_at) AS DATE) AS monday,
       kind, count(*) AS n
FROM filtered_incidents($start, $end, $groups, $areas, $kinds, $categories, $sources, $sensitive)
GROUP BY ALL
ORDER BY monday, kind;
