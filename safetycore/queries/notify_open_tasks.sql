-- Every open task as of $today / $now for the e-mail digests and reminders: overdue (with the
-- days late), due within 7 days, or later / without a due date. A task with a deadline in hours
-- (due_at, a händelse's task) is overdue from that moment. Tasks aimed at a sensitive category
-- are left out, so no message ever names one.
SELECT id, title, owner_org, area_group_id, area_group, due_date, due_at, event_id, assignee,
       bucket,
       CASE WHEN bucket = 'overdue'
            THEN greatest(date_diff('day', due_date, CAST($today AS DATE)), 0) END AS days_late
FROM (
    SELECT a.id, a.title, a.owner_org, a.area_group_id, g.name AS area_group, a.due_date,
           a.due_at, a.event_id, lower(trim(a.assignee)) AS assignee, g.sort_order,
           CASE WHEN a.due_at IS NOT NULL AND a.due_at < $now THEN 'overdue'
                WHEN a.due_at IS NULL AND a.due_date < $today THEN 'overdue'
                WHEN a.due_date <= $today + INTERVAL 6 DAY THEN 'due'
                ELSE 'later' END AS bucket
    FROM actions AS a
    JOIN area_groups AS g ON g.id = a.area_group_id
    WHERE a.status IN ('open', 'in_progress')
      AND NOT EXISTS (SELECT 1 FROM categories AS c
                      WHERE c.sensitive AND list_contains(a.target_categories, c.code))
)
ORDER BY CASE bucket WHEN 'overdue' THEN 0 WHEN 'due' THEN 1 ELSE 2 END,
         due_date NULLS LAST, due_at NULLS LAST, id
LIMIT 5000;
