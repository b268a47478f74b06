-- Places actions in the areas of the registered frame _action_areas (id, area_id), when the area is in the action's area group.
UPDATE actions
SET area_id = x.area_id
FROM _action_areas AS x, areas AS a
WHERE actions.id = x.id AND a.id = x.area_id AND a.area_group_id = actions.area_group_id
