-- Sets an area group's sort order.
UPDATE area_groups SET sort_order = $order WHERE id = $id
