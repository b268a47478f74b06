-- How many of the filter's events can be drawn, and why the others cannot.
SELECT count(*) AS total,
       count(*) FILTER (WHERE h3_cell IS NOT NULL AND location_precision IN ('exact', 'street')
                        AND category NOT IN (SELECT code FROM categories WHERE sensitive)) AS drawable,
       count(*) FILTER (WHERE location_precision NOT IN ('exact', 'street') OR h3_cell IS NULL) AS coarse,
       count(*) FILTER (WHERE category IN (SELECT code FROM categories WHERE sensitive)) AS sensitive
FROM filtered_incidents($start, $end, $selection);
