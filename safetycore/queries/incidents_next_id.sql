-- The next incident id from the sequence, for a single write that needs to know it.
SELECT nextval('incident_id_seq')
