-- The organisations invited to an event and not released from it.
SELECT organisation FROM event_orgs WHERE event_id = $e AND released_at IS NULL
