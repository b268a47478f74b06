-- Renames an area group.
UPDATE area_groups SET name = $name WHERE id = $id
