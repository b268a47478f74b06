-- Every open task as of $today for the e-mail digests and reminders: overdue (with the days
-- late), due within 7 days, or later / without a due date. Tasks aimed at a sensitive category
-- are left out, so no message ever names one.
SELECT a.id, a.title, a.owner_org, a.area_group_id, g.name AS area_group, a.due_date, a.due_at,
       a.event_id, lower(trim(a.assignee)) AS assignee,
       CASE WHEN a.due_date < $today THEN 'overdue'
            WHEN a.due_date <= $today + INTERVAL 6 DAY THEN 'due'
            ELSE 'later' END AS bucket,
       CASE WHEN a.due_date < $today
            THEN date_diff('day', a.due_date, CAST($today AS DATE)) END AS days_late
FROM actions AS a
JOIN area_groups AS g ON g.id = a.area_group_id
WHERE a.status IN ('open', 'in_progress')
  AND NOT EXISTS (SELECT 1 FROM categories AS c
                  WHERE c.sensitive AND list_contains(a.target_categories, c.code))
ORDER BY CASE WHEN a.due_date < $today THEN 0 WHEN a.due_date <= $today + INTERVAL 6 DAY THEN 1
              ELSE 2 END,
         a.due_date NULLS LAST, a.id
LIMIT 5000;
