-- Every week (Monday) with at least one event in the whole database, whatever the filter: a
-- half-year without any is a gap in the data itself (safetycore.signals.first_after_gaps), while
-- a quiet half-year in one category or area is just quiet.
SELECT DISTINCT r.week AS week
FROM rollup_weekly AS r
WHERE r.n > 0
ORDER BY week;
