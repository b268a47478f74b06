-- The imported rows into incidents: decisions from `_final`, values from `_cand`, in time
-- order (DuckDB's per-row-group min/max on occurred_at then lets every period filter skip
-- most of the table). `_cells` holds the H3 cell of every usable point (written for the
-- drawable precisions only). Free text in `_cand` is already masked (common._mask_candidates). The source's own type is
-- kept for the rows in an "other" category (`$other`), to be listed for re-mapping.
-- Ids are the batch id in the high 32 bits and the row's position in the low ones: unique,
-- and given without a sequence call per row (which costs a second a million rows).
INSERT INTO incidents (id, source, source_ref, category, kind, occurred_at, time_precision,
    lat, lon, location_precision, h3_cell, area_id, area_group_id, sensitive, place,
    description, import_batch_id, category_raw, cost_sek, involved, people)
SELECT $batch * 4294967296 + f.pos, $source, f.ref, r.category, c.kind, r.occurred_at,
       r.time_precision, f.lat, f.lon, f.location_precision,
       CASE WHEN list_contains($drawable, f.location_precision) THEN NULLIF(h.h3_cell, 0) END,
       f.area_id, a.area_group_id, c.sensitive, NULLIF(r.place, ''),
       NULLIF(r.description, ''), $batch,
       CASE WHEN list_contains($other, r.category) THEN left(r.category_raw, 200) END,
       r.cost_sek, r.involved, r.people
FROM _final AS f
JOIN _cand AS r USING (pos)
JOIN categories AS c ON c.code = r.category
LEFT JOIN _cells AS h USING (pos)
LEFT JOIN areas AS a ON a.id = f.area_id
WHERE f.outcome IS NULL
ORDER BY r.occurred_at, f.pos;
