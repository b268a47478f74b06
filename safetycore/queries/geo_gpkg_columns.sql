-- A GeoPackage table's columns (the name is the second column), in the file's order.
SELECT * FROM pragma_table_info($table)
