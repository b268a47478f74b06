-- Sets an area group's name, population and sort order.
UPDATE area_groups SET name = $name, population = $pop, sort_order = $order WHERE id = $id
