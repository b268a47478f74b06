-- The log row of a demo action put in progress.
INSERT INTO action_log VALUES ($id, $at, 'demo', 'status', 'open', 'in_progress')
