-- Sets every incident's area group from its area.
UPDATE incidents SET area_group_id = a.area_group_id FROM areas AS a WHERE incidents.area_id = a.id
