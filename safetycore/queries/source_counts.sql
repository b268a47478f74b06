-- Events per source for the filter.
SELECT source, count(*) AS n
FROM filtered_incidents($start, $end, $groups, $areas, $kinds, $categories, $sources, $sensitive)
GROUP BY source
ORDER BY n DESC;
