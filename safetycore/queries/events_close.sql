-- Closes an event with its outcome.
UPDATE events SET status = 'closed', closed_at = $at, outcome = $o WHERE id = $id
