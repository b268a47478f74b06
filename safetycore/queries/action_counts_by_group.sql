-- Open and overdue actions per area group, as of $today.
SELECT g.id AS area_group_id,
       g.name AS area_group,
       count(a.id) FILTER (WHERE a.status IN ('open', 'in_progress')) AS open,
       count(a.id) FILTER (WHERE a.status IN ('open', 'in_progress') AND a.due_date < $today) AS overdue,
       count(a.id) FILTER (WHERE a.status = 'done') AS done
FROM area_groups AS g
LEFT JOIN actions AS a ON a.area_group_id = g.id
WHERE $groups IS NULL OR list_contains($groups, g.id)
GROUP BY ALL
ORDER BY min(g.sort_order);
