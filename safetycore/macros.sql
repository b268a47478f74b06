-- Macros shared by the queries in queries/. Re-created by every migration (they live in the
-- file, so cursors and read-only connections see them); a change here needs no data migration.
-- A NULL list means "no restriction".

-- Whether one event (or rollup row) with these keys is in the selection: the filter's meaning,
-- written once for the raw events and the weekly rollup alike.
CREATE OR REPLACE MACRO in_selection(p_selection, p_group, p_area, p_kind, p_category, p_source,
                                     p_sensitive) AS
    (p_selection['area_groups'] IS NULL OR list_contains(p_selection['area_groups'], p_group))
    AND (p_selection['areas'] IS NULL OR list_contains(p_selection['areas'], p_area))
    AND (p_selection['kinds'] IS NULL OR list_contains(p_selection['kinds'], p_kind))
    AND (p_selection['categories'] IS NULL OR list_contains(p_selection['categories'], p_category))
    AND (p_selection['sources'] IS NULL OR list_contains(p_selection['sources'], p_source))
    AND (p_selection['include_sensitive'] OR NOT p_sensitive);

-- The incidents the current Filter selects, with their area group. Every page query starts here,
-- so the filter semantics live in one place. p_selection is the Filter's selection as one struct
-- (``Filter.params()["selection"]``, bound as $selection), its fields named as in the Filter:
-- area_groups, areas, kinds, categories, sources (lists; NULL: all) and include_sensitive. A new
-- filter field is added there and here, and every query follows.
CREATE OR REPLACE MACRO filtered_incidents(p_start, p_end, p_selection) AS TABLE
SELECT i.*
FROM incidents AS i
WHERE i.occurred_at >= p_start
  AND i.occurred_at < p_end
  AND in_selection(p_selection, i.area_group_id, i.area_id, i.kind, i.category, i.source,
                   i.sensitive);

-- The same selection without the sensitive categories, whatever the viewer may see: for what is
-- drawn on maps and listed as hotspots (places are never shown for sensitive categories).
CREATE OR REPLACE MACRO without_sensitive(p_selection) AS
    struct_pack(area_groups := p_selection['area_groups'], areas := p_selection['areas'],
                kinds := p_selection['kinds'], categories := p_selection['categories'],
                sources := p_selection['sources'], include_sensitive := false);

-- Parent of an H3 cell (stored at resolution 9) at a coarser resolution, by the H3 bit layout:
-- bits 52-55 hold the resolution and each finer level's 3-bit digit is set to 7 (unused).
CREATE OR REPLACE MACRO h3_parent(cell, res) AS
    ((cell & ~(CAST(15 AS UBIGINT) << 52)) | (CAST(res AS UBIGINT) << 52))
    | ((CAST(1 AS UBIGINT) << (3 * (15 - res))) - 1);

-- ISO week label such as 2026-W47 for a timestamp or date.
CREATE OR REPLACE MACRO iso_week_label(ts) AS
    printf('%04d-W%02d', isoyear(ts), week(ts));

-- The Monday on or after a timestamp, and the Monday on or before it (as timestamps).
CREATE OR REPLACE MACRO week_ceil(ts) AS
    CAST(CASE WHEN date_trunc('week', ts) = ts THEN ts
              ELSE date_trunc('week', ts) + INTERVAL 7 DAY END AS TIMESTAMP);
CREATE OR REPLACE MACRO week_floor(ts) AS CAST(date_trunc('week', ts) AS TIMESTAMP);

-- Counts for the filter per ISO week (Monday), area, category and source. Whole weeks inside
-- the period come from rollup_weekly; the partial weeks at its two edges are counted from the
-- incidents themselves, each edge as its own narrow time range (bounds that fold to constants,
-- so the scan reads only the row groups of those days), one row per event with n = 1: the
-- query that reads the macro groups once, on the keys it needs. Exact for any period, and
-- fast for long ones. Rows are not unique per key: always aggregate n. n_mappable counts the
-- events that may be drawn on a map (exact/street, with a cell, not sensitive).
CREATE OR REPLACE MACRO filtered_counts(p_start, p_end, p_selection) AS TABLE
SELECT r.week, r.area_id, r.area_group_id, r.category, r.kind, r.source, r.sensitive,
       r.n, r.n_mappable
FROM rollup_weekly AS r
WHERE r.week >= week_ceil(p_start) AND r.week < week_floor(p_end)
  AND in_selection(p_selection, r.area_group_id, r.area_id, r.kind, r.category, r.source,
                   r.sensitive)
UNION ALL
SELECT CAST(date_trunc('week', f.occurred_at) AS DATE) AS week, f.area_id, f.area_group_id,
       f.category, f.kind, f.source, f.sensitive,
       1 AS n,
       CASE WHEN f.h3_cell IS NOT NULL AND f.location_precision IN ('exact', 'street')
                 AND NOT f.sensitive THEN 1 ELSE 0 END AS n_mappable
FROM (SELECT * FROM filtered_incidents(p_start, least(week_ceil(p_start), p_end), p_selection)
      UNION ALL
      SELECT * FROM filtered_incidents(greatest(week_floor(p_end), week_ceil(p_start)), p_end,
                                       p_selection)) AS f;
