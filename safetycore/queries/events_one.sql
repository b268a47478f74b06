-- One event's id, status, area group and title.
SELECT id, status, area_group_id, title FROM events WHERE id = $id
