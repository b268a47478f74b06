-- Events per area group and kind with the group's population, for rates per 1,000.
-- Events without an area (e.g. placed only at the municipality) are not in any group.
WITH counts AS (
    SELECT area_group_id,
           sum(n) FILTER (WHERE kind = 'incident') AS incidents,
           sum(n) FILTER (WHERE kind = 'qol') AS qol
    FROM filtered_counts($start, $end, $selection)
    GROUP BY area_group_id
)
SELECT g.id AS area_group_id,
       g.name AS area_group,
       g.population,
       coalesce(c.incidents, 0)::BIGINT AS incidents,
       coalesce(c.qol, 0)::BIGINT AS qol,
       (coalesce(c.incidents, 0) + coalesce(c.qol, 0))::BIGINT AS total
FROM area_groups AS g
LEFT JOIN counts AS c ON c.area_group_id = g.id
WHERE $selection.area_groups IS NULL OR list_contains($selection.area_groups, g.id)
ORDER BY g.sort_order;
