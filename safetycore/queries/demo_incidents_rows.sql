-- Stages the demo incidents of the registered frame demo_frame as `incident_rows` (the
-- writer's shape, safetycore/incidents.py), each referenced by its position in the frame.
CREATE OR REPLACE TEMP VIEW incident_rows AS
SELECT CAST(NULL AS BIGINT) AS id, source, 'demo-' || CAST(rn AS VARCHAR) AS source_ref,
       category, occurred_at, time_precision, lat, lon, location_precision, h3_cell, area_id,
       place, description, cost_sek, involved, people, CAST(NULL AS VARCHAR) AS reported_by,
       CAST(NULL AS BIGINT) AS import_batch_id, CAST(NULL AS VARCHAR) AS category_raw
FROM (SELECT *, row_number() OVER () AS rn FROM demo_frame)
