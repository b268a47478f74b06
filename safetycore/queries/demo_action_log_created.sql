-- The log row of a demo action's creation.
INSERT INTO action_log VALUES ($id, $at, 'demo', 'created', NULL, $title)
