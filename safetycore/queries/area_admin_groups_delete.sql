-- Deletes the given area groups.
DELETE FROM area_groups WHERE list_contains($ids, id)
