-- The latest changes to areas and area groups (the Administration page's log).
SELECT changed_at, changed_by, entity, entity_id, field, old_value, new_value
FROM area_log
ORDER BY changed_at DESC, rowid DESC
LIMIT 200;
