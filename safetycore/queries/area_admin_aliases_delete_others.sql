-- Deletes the aliases of every area not in the given list.
DELETE FROM area_aliases WHERE NOT list_contains($ids, area_id)
