-- One händelse.
SELECT e.id, e.title, e.place, e.area_group_id, g.name AS area_group, e.occurred_at, e.status,
       e.opened_by, e.opened_at, e.closed_at, e.outcome
FROM events AS e
JOIN area_groups AS g ON g.id = e.area_group_id
WHERE e.id = $event_id;
