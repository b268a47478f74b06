-- Stages the imported rows as `incident_rows` (the writer's shape, safetycore/incidents.py):
-- decisions, ids and places from `_final`, values from `_cand`, the H3 cell of every usable
-- point from `_cells` (the writer keeps it for the drawable precisions only). Free text in
-- `_cand` is already masked (common._mask_candidates).
CREATE OR REPLACE TEMP VIEW incident_rows AS
SELECT f.id, f.source, f.ref AS source_ref, r.category, r.occurred_at, r.time_precision,
       f.lat, f.lon, f.location_precision, h.h3_cell, f.area_id, r.place, r.description,
       r.cost_sek, r.involved, r.people, CAST(NULL AS VARCHAR) AS reported_by,
       f.import_batch_id, r.category_raw
FROM _final AS f
JOIN _cand AS r USING (pos)
LEFT JOIN _cells AS h USING (pos)
WHERE f.outcome IS NULL
