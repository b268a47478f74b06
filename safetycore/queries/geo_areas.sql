-- Every area with its area group, population, boundary and aliases, in display order.
SELECT a.id, a.name, a.area_group_id, g.name, a.population, a.boundary_geojson,
    list_distinct(a.aliases || coalesce((
        SELECT list(x.alias ORDER BY x.alias) FROM area_aliases AS x WHERE x.area_id = a.id
    ), []))
FROM areas a
JOIN area_groups g ON g.id = a.area_group_id
ORDER BY g.sort_order, a.name
