-- The latest changes to the contacts, newest first.
SELECT changed_at, changed_by, change, email, organisation, area_group_id, detail
FROM contact_log
ORDER BY changed_at DESC, rowid DESC  -- rowid: two changes within one clock tick
LIMIT 200;
