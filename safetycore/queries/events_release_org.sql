-- Releases an organisation from an event.
UPDATE event_orgs SET released_at = $at WHERE event_id = $e AND organisation = $o
