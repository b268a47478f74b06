-- The yearly situation picture: when in the week and the day the year's events happened
-- (ISO weekday 1-7, hour 0-23), per kind. Only events with an exact time: a report that
-- says "during the evening" has no hour to count.
SELECT isodow(i.occurred_at) AS weekday, hour(i.occurred_at) AS hour, i.kind, count(*) AS n
FROM incidents AS i
WHERE i.occurred_at >= $s0 AND i.occurred_at < $e0
  AND i.time_precision = 'exact'
  AND ($sensitive OR NOT i.sensitive)
GROUP BY ALL
ORDER BY weekday, hour, kind;
