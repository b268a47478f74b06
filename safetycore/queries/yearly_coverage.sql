-- The yearly situation picture: the span of the data, to say plainly what is missing.
SELECT min(occurred_at) AS first_event, max(occurred_at) AS last_event,
       count(*) FILTER (WHERE occurred_at >= $s0 AND occurred_at < $e0) AS n_year,
       count(*) FILTER (WHERE occurred_at >= $s0 AND occurred_at < $e0
                        AND area_id IS NULL) AS n_unplaced,
       count(*) FILTER (WHERE occurred_at >= $s0 AND occurred_at < $e0
                        AND sensitive) AS n_sensitive
FROM incidents;
