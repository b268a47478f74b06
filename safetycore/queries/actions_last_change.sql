-- Who changed an action last, and when.
SELECT changed_by, changed_at
FROM action_log
WHERE action_id = $id
ORDER BY changed_at DESC LIMIT 1
