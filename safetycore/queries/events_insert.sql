-- A new event; returns its id.
INSERT INTO events (title, place, area_group_id, occurred_at, opened_by, opened_at)
VALUES ($t, $p, $g, $at, $by, $now)
RETURNING id
