-- Every area group's id and name.
SELECT id, name FROM area_groups
