-- The first and last incident's time.
SELECT min(occurred_at), max(occurred_at) FROM incidents
