-- Writes the rows staged in `incident_rows` (a temporary view on the cursor: a registered frame
-- or a view over the caller's own tables, see safetycore/incidents.py for its columns) into
-- incidents. The one statement that writes incidents: kind and
-- sensitivity come from the category and the area group from the area, so the filters that
-- run on every page need no join; an H3 cell is kept only for the drawable precisions
-- (`$drawable`), empty text is stored as NULL, and the source's own type only for the rows in
-- an "other" category (`$other`), to be listed for re-mapping.
-- Rows come in time order: DuckDB's per-row-group min/max on occurred_at then lets every
-- period filter skip most of the table. The sort is in the inner query so that the ids taken
-- from the sequence (rows without an id of their own) follow the time order too; a staged id
-- (an import's, see ingest/common.py) is kept and never costs a sequence call.
-- A category missing from `categories` fails on kind being NOT NULL rather than vanishing.
-- No RETURNING: it costs a bulk write about a tenth of its time; one row that needs its id
-- takes it from the sequence first (incidents_next_id).
INSERT INTO incidents (id, source, source_ref, category, kind, occurred_at, time_precision,
    lat, lon, location_precision, h3_cell, area_id, area_group_id, sensitive, place,
    description, reported_by, import_batch_id, category_raw, cost_sek, involved, people)
SELECT CASE WHEN id IS NULL THEN nextval('incident_id_seq') ELSE id END, source, source_ref,
       category, kind, occurred_at, time_precision, lat, lon, location_precision, h3_cell,
       area_id, area_group_id, sensitive, place, description, reported_by, import_batch_id,
       category_raw, cost_sek, involved, people
FROM (
    SELECT r.id, r.source, r.source_ref, r.category, c.kind, r.occurred_at, r.time_precision,
           r.lat, r.lon, r.location_precision,
           CASE WHEN list_contains($drawable, r.location_precision)
                THEN NULLIF(r.h3_cell, 0) END AS h3_cell,
           r.area_id, a.area_group_id, c.sensitive, NULLIF(r.place, '') AS place,
           NULLIF(r.description, '') AS description, r.reported_by, r.import_batch_id,
           CASE WHEN list_contains($other, r.category)
                THEN left(r.category_raw, 200) END AS category_raw,
           r.cost_sek, r.involved, r.people
    FROM (
        SELECT CAST(id AS BIGINT) AS id,
               CAST(source AS VARCHAR) AS source,
               CAST(source_ref AS VARCHAR) AS source_ref,
               CAST(category AS VARCHAR) AS category,
               CAST(occurred_at AS TIMESTAMP) AS occurred_at,
               CAST(time_precision AS VARCHAR) AS time_precision,
               CAST(lat AS DOUBLE) AS lat,
               CAST(lon AS DOUBLE) AS lon,
               CAST(location_precision AS VARCHAR) AS location_precision,
               CAST(h3_cell AS UBIGINT) AS h3_cell,
               CAST(area_id AS VARCHAR) AS area_id,
               CAST(place AS VARCHAR) AS place,
               CAST(description AS VARCHAR) AS description,
               CAST(reported_by AS VARCHAR) AS reported_by,
               CAST(import_batch_id AS BIGINT) AS import_batch_id,
               CAST(category_raw AS VARCHAR) AS category_raw,
               NULLIF(CAST(cost_sek AS DOUBLE), 'NaN') AS cost_sek,  -- a frame's NaN: no cost
               CAST(involved AS VARCHAR) AS involved,
               CAST(people AS INTEGER) AS people
        FROM incident_rows
    ) AS r
    LEFT JOIN categories AS c ON c.code = r.category
    LEFT JOIN areas AS a ON a.id = r.area_id
    ORDER BY r.occurred_at, r.id
) AS sorted
