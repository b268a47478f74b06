-- An area group's name.
SELECT name FROM area_groups WHERE id = $id
