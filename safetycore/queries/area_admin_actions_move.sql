-- Moves the given actions to an area and its new area group.
UPDATE actions SET area_group_id = $g, area_id = $id WHERE list_contains($actions, id)
