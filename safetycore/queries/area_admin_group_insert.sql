-- A new area group.
INSERT INTO area_groups VALUES ($id, $name, $pop, $order)
