-- The yearly situation picture: who was involved, per category, in the year and the year
-- before (spans 0 and 1); 'not_recorded' where the report does not say. `people` sums the
-- approximate numbers given (n_people: how many reports gave one).
WITH ev AS (
    SELECT i.category, i.area_group_id, coalesce(i.involved, 'not_recorded') AS involved, i.people,
           CASE WHEN i.occurred_at >= $s0 AND i.occurred_at < $e0 THEN 0
                WHEN i.occurred_at >= $s1 AND i.occurred_at < $e1 THEN 1 END AS span
    FROM incidents AS i
    WHERE i.occurred_at >= $s1 AND i.occurred_at < $e0
      AND ($sensitive OR NOT i.sensitive)
)
SELECT span, category, area_group_id, involved, count(*) AS n,
       coalesce(sum(people), 0) AS people, count(people) AS n_people
FROM ev
WHERE span IS NOT NULL
GROUP BY ALL
ORDER BY span, category, area_group_id NULLS LAST, involved;
