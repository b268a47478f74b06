-- The given actions' positions.
SELECT id, lat, lon FROM actions WHERE list_contains($ids, id)
