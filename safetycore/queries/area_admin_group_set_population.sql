-- Sets an area group's population.
UPDATE area_groups SET population = $p WHERE id = $id
