-- A new action; returns its id.
INSERT INTO actions (title, description, area_group_id, area_id,
    target_categories, owner_org, assignee, status, priority, origin, created_at,
    created_by, start_date, due_date, outcome, lat, lon, radius_m, cost_sek,
    done_at)
VALUES ($title, $description, $area_group_id, $area_id, $target_categories,
    $owner_org, $assignee, $status, $priority, $origin, $created_at, $created_by,
    $start_date, $due_date, $outcome, $lat, $lon, $radius_m, $cost_sek,
    $done_at)
RETURNING id
