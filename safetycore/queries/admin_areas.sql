-- The area configuration: groups and their areas with population.
SELECT g.name AS area_group, g.population AS group_population, a.name AS area, a.id AS area_id,
       a.population
FROM areas AS a
JOIN area_groups AS g ON g.id = a.area_group_id
ORDER BY g.sort_order, a.name;
