-- Sets an area's population.
UPDATE areas SET population = $p WHERE id = $id
