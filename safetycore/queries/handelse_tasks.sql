-- The tasks of one händelse (ordinary actions with its id), with their deadline in hours and
-- whether they are late as of $now.
SELECT a.id, a.title, a.owner_org, a.assignee, a.status, a.due_at, a.due_date, a.version,
       a.status IN ('open', 'in_progress') AND a.due_at < $now AS overdue
FROM actions AS a
WHERE a.event_id = $event_id
ORDER BY CASE WHEN a.status IN ('open', 'in_progress') THEN 0 ELSE 1 END, a.due_at, a.id
LIMIT 500;
