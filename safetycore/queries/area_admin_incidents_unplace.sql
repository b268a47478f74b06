-- Takes every incident out of its area and area group.
UPDATE incidents
SET area_id = NULL, area_group_id = NULL
WHERE area_id IS NOT NULL OR area_group_id IS NOT NULL
