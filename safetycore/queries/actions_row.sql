-- One action's columns, in the order of actions.COLUMNS.
SELECT
    id,
    title,
    description,
    area_group_id,
    area_id,
    target_categories,
    owner_org,
    assignee,
    status,
    priority,
    origin,
    start_date,
    due_date,
    outcome,
    lat,
    lon,
    radius_m,
    cost_sek,
    created_at,
    created_by,
    done_at,
    version
FROM actions
WHERE id = $id
