-- Open actions (not done or cancelled) for the selected area groups, soonest due first.
SELECT a.id, a.title, g.name AS area_group, ar.name AS area, a.status, a.priority,
       a.owner_org, a.assignee, a.due_date, a.target_categories,
       a.due_date < $today AS overdue
FROM actions AS a
JOIN area_groups AS g ON g.id = a.area_group_id
LEFT JOIN areas AS ar ON ar.id = a.area_id
WHERE a.status IN ('open', 'in_progress')
  AND ($groups IS NULL OR list_contains($groups, a.area_group_id))
ORDER BY a.due_date NULLS LAST, a.id
LIMIT 1000;
