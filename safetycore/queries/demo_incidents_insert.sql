-- The demo incidents, from the registered frame demo_frame, placed in their areas.
INSERT INTO incidents (source, source_ref, category, kind, occurred_at,
    time_precision, lat, lon, location_precision, h3_cell, area_id,
    area_group_id, sensitive, place, description, cost_sek, involved, people)
SELECT CAST(f.source AS VARCHAR), 'demo-' || CAST(rn AS VARCHAR),
       CAST(f.category AS VARCHAR), CAST(f.kind AS VARCHAR), occurred_at,
       CAST(time_precision AS VARCHAR), lat, lon,
       CAST(location_precision AS VARCHAR), NULLIF(h3_cell, 0),
       CAST(area_id AS VARCHAR), a.area_group_id, coalesce(c.sensitive, false),
       CAST(place AS VARCHAR), CAST(description AS VARCHAR),
       CASE WHEN isnan(f.cost_sek) THEN NULL ELSE f.cost_sek END,
       CAST(f.involved AS VARCHAR), f.people
FROM (SELECT *, row_number() OVER () AS rn FROM demo_frame) AS f
LEFT JOIN areas AS a ON a.id = CAST(f.area_id AS VARCHAR)
LEFT JOIN categories AS c ON c.code = CAST(f.category AS VARCHAR)
ORDER BY occurred_at
