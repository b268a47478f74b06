-- One observation reported in the dashboard, as an incident of its category; returns its id.
INSERT INTO incidents (source, source_ref, category, kind, occurred_at,
                   time_precision, lat, lon, location_precision, h3_cell, area_id, area_group_id,
                   sensitive, place, description, reported_by, cost_sek, involved, people)
               SELECT $source, $ref, c.code, c.kind, $at, $tp, $lat, $lon, $lp, $cell, $area,
                      (SELECT area_group_id FROM areas WHERE id = $area), c.sensitive,
                      NULLIF($place, ''), NULLIF($text, ''), $by, $cost, $involved, $people
               FROM categories AS c WHERE c.code = $category
               RETURNING id
