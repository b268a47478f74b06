-- Every area for the Administration page's editor: its group, population and aliases.
SELECT a.id AS area_id, a.name AS area, a.area_group_id, g.name AS area_group, a.population,
       coalesce((SELECT string_agg(x.alias, ', ' ORDER BY x.rowid) FROM area_aliases AS x
                 WHERE x.area_id = a.id), '') AS aliases
FROM areas AS a
JOIN area_groups AS g ON g.id = a.area_group_id
ORDER BY g.sort_order, a.name;
