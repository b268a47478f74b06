-- One row per address: its language, the organisations and area groups (in meeting order) it
-- hears about, and whether it also stands for a user with login (a row with neither).
SELECT c.email, any_value(c.language) AS language,
       coalesce(list(DISTINCT c.organisation ORDER BY c.organisation)
                FILTER (WHERE c.organisation <> ''), []) AS organisations,
       coalesce(list(DISTINCT c.area_group_id ORDER BY c.area_group_id)
                FILTER (WHERE c.area_group_id <> ''), []) AS area_groups,
       bool_or(c.organisation = '' AND c.area_group_id = '') AS personal
FROM contacts AS c
LEFT JOIN area_groups AS g ON g.id = c.area_group_id
GROUP BY c.email
ORDER BY c.email
LIMIT 5000;
