-- Tasks for the meeting as of $today: overdue, due within the next 7 days, and done since
-- $since (the last meeting). One row per action; `bucket` says which list it belongs to.
SELECT *
FROM (
    SELECT a.id, a.area_group_id, a.title, a.owner_org, a.assignee, a.status, a.priority,
           a.due_date, CAST(a.done_at AS DATE) AS done_on, a.target_categories,
           CASE
               WHEN a.status IN ('open', 'in_progress') AND a.due_date < $today THEN 'overdue'
               WHEN a.status IN ('open', 'in_progress')
                    AND a.due_date BETWEEN $today AND $today + INTERVAL 6 DAY THEN 'due'
               WHEN a.status = 'done' AND a.done_at >= $since THEN 'done'
           END AS bucket
    FROM actions AS a
    WHERE $area_groups IS NULL OR list_contains($area_groups, a.area_group_id)
)
WHERE bucket IS NOT NULL
ORDER BY CASE bucket WHEN 'overdue' THEN 0 WHEN 'due' THEN 1 ELSE 2 END, due_date NULLS LAST, id
LIMIT 1000;
