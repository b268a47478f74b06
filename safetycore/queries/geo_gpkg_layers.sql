-- A GeoPackage's feature tables with their geometry column and coordinate system.
SELECT c.table_name, g.column_name, g.geometry_type_name, s.organization,
    s.organization_coordsys_id, s.definition
FROM gpkg_contents AS c
JOIN gpkg_geometry_columns AS g ON g.table_name = c.table_name
LEFT
JOIN gpkg_spatial_ref_sys AS s ON s.srs_id = g.srs_id
WHERE c.data_type = 'features'
