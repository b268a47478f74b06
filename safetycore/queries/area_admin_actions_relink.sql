-- Puts actions back in their areas from the registered frame _links (id, area_id).
UPDATE actions SET area_id = l.area_id FROM _links AS l WHERE actions.id = l.id
