-- A demo action; returns its id.
INSERT INTO actions (title, description, area_group_id, area_id, target_categories,
    owner_org, assignee, status, priority, origin, created_at, created_by,
    start_date, due_date, done_at, outcome, lat, lon, radius_m, cost_sek)
VALUES ($title, $description, $area_group_id, $area_id, $target_categories,
    $owner_org, $assignee, $status, $priority, $origin, $created_at, 'demo',
    $start_date, $due_date, $done_at, $outcome, $lat, $lon, $radius_m, $cost_sek)
RETURNING id
