-- The organisations of one händelse: those taking part first, then those released.
SELECT organisation, invited_at, released_at
FROM event_orgs
WHERE event_id = $event_id
ORDER BY released_at NULLS FIRST, invited_at, organisation
LIMIT 100;
