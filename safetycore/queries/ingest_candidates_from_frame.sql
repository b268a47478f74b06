-- The candidate rows a format module built in Python (`_cand_frame`, registered) as the
-- temporary table `_cand` that the decision steps read. NaN coordinates become NULL.
CREATE OR REPLACE TEMP TABLE _cand AS
SELECT CAST(pos AS BIGINT) AS pos,
       CAST("row" AS BIGINT) AS row_no,
       CAST(source_ref AS VARCHAR) AS source_ref,
       CAST(category AS VARCHAR) AS category,
       CAST(category_raw AS VARCHAR) AS category_raw,
       CAST(occurred_at AS TIMESTAMP) AS occurred_at,
       CAST(time_precision AS VARCHAR) AS time_precision,
       CASE WHEN isnan(lat) THEN NULL ELSE lat END AS lat,
       CASE WHEN isnan(lon) THEN NULL ELSE lon END AS lon,
       CAST(location_precision AS VARCHAR) AS location_precision,
       CAST(area_id AS VARCHAR) AS area_id,
       CAST(place AS VARCHAR) AS place,
       CAST(description AS VARCHAR) AS description,
       CAST(outcome AS VARCHAR) AS outcome,
       CAST(reason AS VARCHAR) AS reason,
       -- The formats read this way carry no cost or involved group.
       CAST(NULL AS DOUBLE) AS cost_sek,
       CAST(NULL AS VARCHAR) AS involved,
       CAST(NULL AS INTEGER) AS people
FROM _cand_frame;
