-- Candidate rows of a mapped CSV/XLSX table `_t` (every cell text). The mapping's columns are
-- chosen by bound names with COLUMNS(lambda ...): no identifier comes from the file or the
-- mapping into the SQL text. Absent roles are bound to the always-empty column `__none`.
-- `_catmap(key, code)` holds the category value map, `_areamap(key, id)` the area names.
-- `_invmap(key, code)` holds the involved groups' value map. Costs are read as Swedish write
-- them ("1 234,50 kr", "1.234,50", "500:-"), the number of people as "5", "ca 5" or "5-10"
-- (the middle); a value that cannot be read so refuses the row with the value in the reason
-- (the same rules as safetycore/involvement.py).
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
           NULLIF(concat_ws(' – ', *COLUMNS(lambda c: list_contains($description_cols, trim(c)))), '') AS description,
           NULLIF(trim(COLUMNS(lambda c: trim(c) = $cost_col)), '') AS cost_text,
           NULLIF(trim(COLUMNS(lambda c: trim(c) = $involved_col)), '') AS involved_raw,
           NULLIF(trim(COLUMNS(lambda c: trim(c) = $people_col)), '') AS people_text
    FROM _t
 ),
cats AS (  -- the value map on distinct values only
    SELECT k.category_raw, m.code
    FROM (SELECT DISTINCT category_raw FROM src) AS k
    LEFT JOIN _catmap AS m ON m.key = lower(regexp_replace(k.category_raw, '\s+', ' ', 'g'))
),
costs AS (  -- distinct cost texts only
    SELECT cost_text,
           CASE WHEN regexp_full_match(t, '-?[0-9]+([.,][0-9]+)?')
                    THEN TRY_CAST(replace(t, ',', '.') AS DOUBLE)
                WHEN regexp_full_match(t, '-?[0-9][0-9]?[0-9]?([.][0-9][0-9][0-9])+(,[0-9]+)?')
                    THEN TRY_CAST(replace(replace(t, '.', ''), ',', '.') AS DOUBLE)
                WHEN regexp_full_match(t, '-?[0-9][0-9]?[0-9]?(,[0-9][0-9][0-9])+([.][0-9]+)?')
                    THEN TRY_CAST(replace(t, ',', '') AS DOUBLE)
           END AS cost_value
    FROM (SELECT cost_text,
                 regexp_replace(replace(lower(cost_text), '−', '-'),
                                '[\s   '']|kronor|kr[.]?|sek|:-', '', 'g') AS t
          FROM (SELECT DISTINCT cost_text FROM src WHERE cost_text IS NOT NULL))
),
people AS (  -- distinct texts for the number of people
    SELECT people_text,
           CASE WHEN ok THEN (low + coalesce(high, low) + 1) // 2 END AS people_value
    FROM (SELECT people_text, regexp_full_match(p, rx) AS ok,
                 TRY_CAST(regexp_extract(p, rx, 1) AS INTEGER) AS low,
                 TRY_CAST(NULLIF(regexp_extract(p, rx, 2), '') AS INTEGER) AS high
          FROM (SELECT people_text, lower(people_text) AS p,
                       '^(?:ca[.]?|cirka|circa|about|approx[.]?|~|≈|omkring|runt)?\s*([0-9][0-9]?[0-9]?[0-9]?[0-9]?)'
                       || '(?:\s*[-–]\s*([0-9][0-9]?[0-9]?[0-9]?[0-9]?))?\s*(?:st|personer|pers|people|persons)?[.]?$' AS rx
                FROM (SELECT DISTINCT people_text FROM src WHERE people_text IS NOT NULL)))
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
       k.cost_value AS cost_sek,
       inv.code AS involved,
       CAST(pp.people_value AS INTEGER) AS people,
       -- An area named in the file that is not one of ours, and no coordinates to go by; a
       -- cost, group or number of people that cannot be read.
       CASE WHEN s.area_text IS NOT NULL AND a.id IS NULL AND s.lat IS NULL THEN 'rejected'
            WHEN s.cost_text IS NOT NULL AND NOT coalesce(k.cost_value BETWEEN 0 AND $max_cost, false)
                THEN 'rejected'
            WHEN s.involved_raw IS NOT NULL AND inv.code IS NULL THEN 'rejected'
            WHEN s.people_text IS NOT NULL AND NOT coalesce(pp.people_value BETWEEN 0 AND $max_people, false)
                THEN 'rejected'
       END AS outcome,
       CASE WHEN s.area_text IS NOT NULL AND a.id IS NULL AND s.lat IS NULL
                THEN 'outside_areas: ' || s.area_text
            WHEN s.cost_text IS NOT NULL AND NOT coalesce(k.cost_value BETWEEN 0 AND $max_cost, false)
                THEN 'bad_cost: ' || left(s.cost_text, 60)
            WHEN s.involved_raw IS NOT NULL AND inv.code IS NULL
                THEN 'unknown_involved: ' || left(s.involved_raw, 60)
            WHEN s.people_text IS NOT NULL AND NOT coalesce(pp.people_value BETWEEN 0 AND $max_people, false)
                THEN 'bad_people: ' || left(s.people_text, 60)
       END AS reason
FROM timed AS s
LEFT JOIN cats AS c ON c.category_raw = s.category_raw
LEFT JOIN _areamap AS a ON a.key = lower(s.area_text)
LEFT JOIN costs AS k ON k.cost_text = s.cost_text
LEFT JOIN _invmap AS inv ON inv.key = lower(regexp_replace(s.involved_raw, '\s+', ' ', 'g'))
LEFT JOIN people AS pp ON pp.people_text = s.people_text;
