-- The actions placed in the given areas (or in any area when $all).
SELECT id, area_id
FROM actions
WHERE area_id IS NOT NULL AND ($all OR list_contains($ids, area_id))
