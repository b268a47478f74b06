-- Moves an area to another area group.
UPDATE areas SET area_group_id = $g WHERE id = $id
