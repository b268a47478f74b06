-- Renames an area.
UPDATE areas SET name = $name WHERE id = $id
