-- One entry in an event's log.
INSERT INTO event_log (event_id, logged_at, logged_by, entry, organisation, action_id, text)
VALUES ($e, $at, $by, $entry, $org, $action, $text)
