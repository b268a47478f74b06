-- The events' log rows since $since that someone taking part should hear about (an
-- invitation, a task, a release, the close), with the event and the task they concern.
SELECT l.id, l.event_id, l.entry, l.organisation, l.action_id, l.text, l.logged_at,
       e.title, e.place, e.occurred_at, a.due_at
FROM event_log AS l
JOIN events AS e ON e.id = l.event_id
LEFT JOIN actions AS a ON a.id = l.action_id
WHERE l.logged_at >= $since AND l.entry IN ('invited', 'task', 'released', 'closed')
ORDER BY l.id
LIMIT 2000;
