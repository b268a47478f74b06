-- Open, overdue, due-within-7-days and done actions per area group, as of $today.
-- $owner (an owner organisation, or NULL for all) gives "our tasks".
SELECT g.id AS area_group_id,
       g.name AS area_group,
       count(a.id) FILTER (WHERE a.status IN ('open', 'in_progress')) AS open,
       count(a.id) FILTER (WHERE a.status IN ('open', 'in_progress') AND a.due_date < $today) AS overdue,
       count(a.id) FILTER (WHERE a.status IN ('open', 'in_progress')
                             AND a.due_date BETWEEN $today AND $today + INTERVAL 6 DAY) AS due_week,
       count(a.id) FILTER (WHERE a.status = 'done') AS done
FROM area_groups AS g
LEFT JOIN actions AS a
       ON a.area_group_id = g.id AND ($owner IS NULL OR a.owner_org = $owner)
WHERE $area_groups IS NULL OR list_contains($area_groups, g.id)
GROUP BY ALL
ORDER BY min(g.sort_order);
