-- Takes the given actions out of their area.
UPDATE actions SET area_id = NULL WHERE list_contains($ids, id)
