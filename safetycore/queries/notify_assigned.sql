-- Tasks assigned since $since (a change of assignee, or a new task with one), with the address
-- they were assigned to and the log row's time (the notice's key). A new task's assignee is
-- taken from the task unless a later change of assignee is logged (that row counts instead).
SELECT l.action_id, l.changed_at,
       lower(trim(CASE WHEN l.field = 'assignee' THEN l.new_value ELSE a.assignee END)) AS assignee,
       a.title, a.owner_org, a.area_group_id, g.name AS area_group, a.due_date, a.due_at,
       a.event_id, e.title AS event_title
FROM action_log AS l
JOIN actions AS a ON a.id = l.action_id
JOIN area_groups AS g ON g.id = a.area_group_id
LEFT JOIN events AS e ON e.id = a.event_id
WHERE l.changed_at >= $since
  AND a.status IN ('open', 'in_progress')
  AND (l.field = 'assignee' OR (l.field = 'created' AND NOT EXISTS (
          SELECT 1 FROM action_log AS later
          WHERE later.action_id = l.action_id AND later.field = 'assignee')))
  AND contains(CASE WHEN l.field = 'assignee' THEN coalesce(l.new_value, '') ELSE a.assignee END, '@')
  AND NOT EXISTS (SELECT 1 FROM categories AS c
                  WHERE c.sensitive AND list_contains(a.target_categories, c.code))
ORDER BY l.changed_at, l.action_id
LIMIT 1000;
