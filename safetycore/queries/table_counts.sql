-- Row counts for the Data page.
SELECT 'incidents' AS what, count(*) AS n FROM incidents
UNION ALL SELECT 'actions', count(*) FROM actions
UNION ALL SELECT 'area_ratings', count(*) FROM area_ratings
UNION ALL SELECT 'import_batches', count(*) FROM import_batches
UNION ALL SELECT 'areas', count(*) FROM areas;
