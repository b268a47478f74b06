-- An area group's population.
SELECT population FROM area_groups WHERE id = $id
