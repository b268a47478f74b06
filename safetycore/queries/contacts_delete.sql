-- Deletes one contact row.
DELETE FROM contacts WHERE email = $e AND organisation = $o AND area_group_id = $g
