-- Candidate rows of a mapped CSV/XLSX table `_t` (every cell text). The mapping's columns are
-- chosen by bound names with COLUMNS(lambda ...): no identifier comes from the file or the
-- mapping into the SQL text. Absent roles are bound to the always-empty column `__none`.
-- `_catmap(key, code)` holds the category value map, `_areamap(key, id)` the area names.
-- The result is the candidate table `_cand` the decision steps read (see common.settle).
CREATE OR REPLACE TEMP TABLE _cand AS
WITH src AS NOT MATERIALIZED (  -- inlined: the category pass reads one column only
    SELECT rowid - $base AS pos,
           NULLIF(trim(COLUMNS(lambda c: trim(c) = $id_col)), '') AS source_ref,
           NULLIF(trim(COLUMNS(lambda c: trim(c) = $category_col)), '') AS category_raw,
           NULLIF(trim(COLUMNS(lambda c: trim(c) = $time_col)), '') AS time_text,
           TRY_CAST(replace(replace(trim(COLUMNS(lambda c: trim(c) = $latitude_col)), ',', '.'), '−', '-') AS DOUBLE) AS lat,
           TRY_CAST(replace(replace(trim(COLUMNS(lambda c: trim(c) = $longitude_col)), ',', '.'), '−', '-') AS DOUBLE) AS lon,
           NULLIF(trim(COLUMNS(lambda c: trim(c) = $area_col)), '') AS area_text,
           NULLIF(trim(COLUMNS(lambda c: trim(c) = $place_col)), '') AS place,
           NULLIF(concat_ws(' – ', *COLUMNS(lambda c: list_contains($description_cols, trim(c)))), '') AS description
    FROM _t
 ),
cats AS (  -- the value map on distinct values only
    SELECT k.category_raw, m.code
    FROM (SELECT DISTINCT category_raw FROM src) AS k
    LEFT JOIN _catmap AS m ON m.key = lower(regexp_replace(k.category_raw, '\s+', ' ', 'g'))
),
timed AS (
    SELECT *, try_strptime(time_text, $exact_formats) AS t_exact FROM src
)
SELECT s.pos,
       s.pos + $first_row AS row_no,
       s.source_ref,
       c.code AS category,
       s.category_raw,
       coalesce(s.t_exact, CASE WHEN s.t_exact IS NULL THEN try_strptime(s.time_text, $day_formats) END)
           AS occurred_at,
       CASE WHEN s.t_exact IS NULL AND try_strptime(s.time_text, $day_formats) IS NOT NULL
            THEN 'day' ELSE 'exact' END AS time_precision,
       CASE WHEN isnan(s.lat) THEN NULL ELSE s.lat END AS lat,
       CASE WHEN isnan(s.lon) THEN NULL ELSE s.lon END AS lon,
       $precision AS location_precision,
       a.id AS area_id,
       s.place,
       s.description,
       -- An area named in the file that is not one of ours, and no coordinates to go by.
       CASE WHEN s.area_text IS NOT NULL AND a.id IS NULL AND s.lat IS NULL
            THEN 'rejected' END AS outcome,
       CASE WHEN s.area_text IS NOT NULL AND a.id IS NULL AND s.lat IS NULL
            THEN 'outside_areas: ' || s.area_text END AS reason
FROM timed AS s
LEFT JOIN cats AS c ON c.category_raw = s.category_raw
LEFT JOIN _areamap AS a ON a.key = lower(s.area_text);
