-- Händelser, open ones first (newest first), then the closed ones of the last $closed_days
-- days; with how many organisations take part and how many of their tasks are open / overdue.
SELECT e.id, e.title, e.place, e.area_group_id, g.name AS area_group, e.occurred_at, e.status,
       e.opened_at, e.closed_at,
       (SELECT count(*) FROM event_orgs AS o
        WHERE o.event_id = e.id AND o.released_at IS NULL) AS organisations,
       (SELECT count(*) FROM actions AS a
        WHERE a.event_id = e.id AND a.status IN ('open', 'in_progress')) AS open_tasks,
       (SELECT count(*) FROM actions AS a
        WHERE a.event_id = e.id AND a.status IN ('open', 'in_progress')
          AND a.due_at < $now) AS overdue_tasks
FROM events AS e
JOIN area_groups AS g ON g.id = e.area_group_id
WHERE e.status = 'open' OR e.closed_at >= $now - to_days(CAST($closed_days AS INTEGER))
ORDER BY CASE e.status WHEN 'open' THEN 0 ELSE 1 END, e.occurred_at DESC, e.id DESC
LIMIT 200;
