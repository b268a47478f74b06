-- One row of an action's change log.
INSERT INTO action_log (action_id, changed_at, changed_by, field, old_value, new_value)
VALUES ($id, $at, $by, $field, $old, $new)
