-- Gives incidents without an area group the group of their area.
UPDATE incidents
SET area_group_id = a.area_group_id
FROM areas AS a
WHERE incidents.area_id = a.id AND incidents.area_group_id IS NULL
