-- The log row of a demo action marked done.
INSERT INTO action_log VALUES ($id, $at, 'demo', 'status', 'open', 'done')
