-- Copies the registered frame _x into the temporary table _t (with an empty column __none).
CREATE OR REPLACE TEMP TABLE _t AS SELECT *, CAST(NULL AS VARCHAR) AS __none FROM _x
