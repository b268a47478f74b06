-- Headline counts for the filter: events per kind.
SELECT kind, count(*) AS n
FROM filtered_incidents($start, $end, $groups, $areas, $kinds, $categories, $sources, $sensitive)
GROUP BY kind;
