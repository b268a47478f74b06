-- The actions board: actions of the selected area groups (open ones, or all with
-- $include_closed), for one owner organisation or all ($owner NULL), with their state as of
-- $today: overdue, due within 7 days, later, or no due date. Overdue first, then soonest due.
SELECT a.id, a.title, a.area_group_id, g.name AS area_group, a.area_id, ar.name AS area,
       a.status, a.priority, a.origin, a.owner_org, a.assignee, a.start_date, a.due_date,
       a.target_categories, a.cost_sek, a.version, a.lat, a.lon, a.radius_m, a.outcome,
       CAST(a.created_at AS DATE) AS created_on,
       CASE
           WHEN a.status NOT IN ('open', 'in_progress') THEN 'closed'
           WHEN a.due_date IS NULL THEN 'nodue'
           WHEN a.due_date < $today THEN 'overdue'
           WHEN a.due_date <= $today + INTERVAL 6 DAY THEN 'week'
           ELSE 'later'
       END AS state,
       CASE WHEN a.status IN ('open', 'in_progress') AND a.due_date < $today
            THEN date_diff('day', a.due_date, CAST($today AS DATE)) END AS days_late
FROM actions AS a
JOIN area_groups AS g ON g.id = a.area_group_id
LEFT JOIN areas AS ar ON ar.id = a.area_id
WHERE ($area_groups IS NULL OR list_contains($area_groups, a.area_group_id))
  AND ($owner IS NULL OR a.owner_org = $owner)
  AND ($include_closed OR a.status IN ('open', 'in_progress'))
ORDER BY g.sort_order,
         CASE WHEN a.status IN ('open', 'in_progress') THEN 0 ELSE 1 END,
         a.due_date NULLS LAST, a.id
LIMIT 1000;
