-- Moves an area's incidents to the area's new area group.
UPDATE incidents SET area_group_id = $g WHERE area_id = $id
