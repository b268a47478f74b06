-- Rows per table for `python -m safetycore info`.
SELECT 'area_groups' AS table_name, count(*) AS n FROM area_groups
UNION ALL SELECT 'areas', count(*) FROM areas
UNION ALL SELECT 'categories', count(*) FROM categories
UNION ALL SELECT 'sources', count(*) FROM sources
UNION ALL SELECT 'incidents', count(*) FROM incidents
UNION ALL SELECT 'actions', count(*) FROM actions
UNION ALL SELECT 'action_log', count(*) FROM action_log
UNION ALL SELECT 'area_ratings', count(*) FROM area_ratings
UNION ALL SELECT 'import_batches', count(*) FROM import_batches
UNION ALL SELECT 'rejected_rows', count(*) FROM rejected_rows;
