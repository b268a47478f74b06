-- Deletes every area not in the given list.
DELETE FROM areas WHERE NOT list_contains($ids, id)
