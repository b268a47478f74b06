-- The areas' ids with their area group, to check an action's area against.
SELECT id, area_group_id FROM areas
