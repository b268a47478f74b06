-- Links an action to the event it was opened from, with the event's due time.
UPDATE actions SET event_id = $e, due_at = $at WHERE id = $id
