-- The log of one händelse, in order.
SELECT logged_at, logged_by, entry, organisation, action_id, text
FROM event_log
WHERE event_id = $event_id
ORDER BY id
LIMIT 1000;
