-- Every candidate row with its outcome decided, its reference, its id, and where it will be
-- stored (the other values are taken from `_cand` as they are).
-- Ids are the batch id in the high 32 bits and the row's position in the low ones: unique,
-- and given without a sequence call per row (which costs a second a million rows).
-- `_located(pos, area_idx)` holds the area found for each point (-1: outside every area) and
-- `_area_list(area_idx, area_id, centre_lat, centre_lon)` the areas. Rows without an id get a
-- content reference: an MD5 of what they say plus their position among equal rows, so a
-- re-import finds them again while equal rows within one file all count. A row whose
-- reference came earlier in the file, or is already stored for this source, is a duplicate.
CREATE OR REPLACE TEMP TABLE _final AS
WITH placed AS (
    SELECT c.pos, c.row_no, c.source_ref,
           CASE WHEN d.locate AND l.area_idx < 0 THEN 'rejected' ELSE d.outcome END AS outcome,
           CASE WHEN d.locate AND l.area_idx < 0
                THEN printf('outside_areas: %.5f, %.5f', c.lat, c.lon) ELSE d.reason END AS reason,
           CASE WHEN d.to_centre THEN centre.centre_lat ELSE c.lat END AS lat,
           CASE WHEN d.to_centre THEN centre.centre_lon ELSE c.lon END AS lon,
           CASE WHEN d.to_centre THEN 'locality' ELSE c.location_precision END AS location_precision,
           CASE WHEN d.coarse THEN NULL WHEN d.locate THEN found.area_id ELSE c.area_id END AS area_id,
           CASE WHEN c.source_ref IS NULL OR c.source_ref = ''
                THEN left(md5(concat_ws(chr(31), coalesce(CAST(c.occurred_at AS VARCHAR), ''),
                                        coalesce(c.category_raw, ''),
                                        coalesce(CAST(round(c.lat, 6) AS VARCHAR), ''),
                                        coalesce(CAST(round(c.lon, 6) AS VARCHAR), ''),
                                        coalesce(c.place, ''), coalesce(c.description, ''))), 16)
           END AS content_hash
    FROM _cand AS c
    JOIN _dec AS d USING (pos)
    LEFT JOIN _located AS l USING (pos)
    LEFT JOIN _area_list AS found ON found.area_idx = l.area_idx
    LEFT JOIN _area_list AS centre ON d.to_centre AND centre.area_id = c.area_id
), hashed AS (  -- the ordinal among equal rows, computed for rows without an id only
    SELECT pos, 'h:' || content_hash || '-'
                || (row_number() OVER (PARTITION BY content_hash ORDER BY pos) - 1) AS ref
    FROM placed
    WHERE content_hash IS NOT NULL
), referenced AS (
    SELECT p.* EXCLUDE (content_hash), coalesce(h.ref, p.source_ref) AS ref
    FROM placed AS p
    LEFT JOIN hashed AS h USING (pos)
), repeated AS (  -- references that occur more than once among the open rows, and where first
    SELECT ref, min(pos) AS first_pos
    FROM referenced
    WHERE outcome IS NULL
    GROUP BY ref
    HAVING count(*) > 1
)
SELECT r.* EXCLUDE (outcome, reason),
       $batch * 4294967296 + r.pos AS id, CAST($batch AS BIGINT) AS import_batch_id,
       CAST($source AS VARCHAR) AS source,
       CASE WHEN r.outcome IS NOT NULL THEN r.outcome
            WHEN r.pos > rep.first_pos OR stored.source_ref IS NOT NULL THEN 'duplicate' END AS outcome,
       CASE WHEN r.outcome IS NOT NULL THEN r.reason
            WHEN r.pos > rep.first_pos OR stored.source_ref IS NOT NULL THEN 'duplicate' END AS reason
FROM referenced AS r
LEFT JOIN repeated AS rep ON r.outcome IS NULL AND rep.ref = r.ref
LEFT JOIN (SELECT source_ref FROM incidents WHERE source = $source) AS stored
       ON r.outcome IS NULL AND stored.source_ref = r.ref;
