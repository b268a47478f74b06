-- 1 if the address is already a contact of this organisation for this area group.
SELECT count(*) FROM contacts WHERE email = $e AND organisation = $o AND area_group_id = $g
