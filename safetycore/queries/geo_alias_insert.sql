-- One alias of an area.
INSERT INTO area_aliases VALUES ($id, $alias)
