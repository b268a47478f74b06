-- Invites an organisation to an event (again, if it was released).
INSERT INTO event_orgs
VALUES ($e, $o, $at, NULL)
ON CONFLICT (event_id, organisation) DO UPDATE SET invited_at = $at, released_at = NULL
