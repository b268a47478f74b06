-- Every change of one action: who, when, which field, the old and the new value.
SELECT changed_at, changed_by, field, old_value, new_value
FROM action_log
WHERE action_id = $action_id
ORDER BY changed_at, rowid
LIMIT 1000;
