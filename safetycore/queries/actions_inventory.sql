-- All measures per area group and owner organisation: how many, open or closed, summed cost,
-- and which target categories they aim at (code -> number of actions).
WITH base AS (
    SELECT a.*, g.name AS area_group, g.sort_order
    FROM actions AS a
    JOIN area_groups AS g ON g.id = a.area_group_id
    WHERE $area_groups IS NULL OR list_contains($area_groups, a.area_group_id)
), cats AS (
    SELECT area_group_id, owner_org, unnest(target_categories) AS category
    FROM base
)
SELECT b.area_group_id, min(b.area_group) AS area_group, b.owner_org,
       count(*) AS total,
       count(*) FILTER (WHERE b.status IN ('open', 'in_progress')) AS open,
       count(*) FILTER (WHERE b.status = 'done') AS done,
       count(*) FILTER (WHERE b.status = 'cancelled') AS cancelled,
       coalesce(sum(b.cost_sek), 0) AS cost_sek,
       (SELECT list(category ORDER BY n DESC, category)
        FROM (SELECT category, count(*) AS n FROM cats AS c
              WHERE c.area_group_id = b.area_group_id AND c.owner_org = b.owner_org
              GROUP BY category)) AS categories
FROM base AS b
GROUP BY b.area_group_id, b.owner_org
ORDER BY min(b.sort_order), total DESC, b.owner_org;
