-- How many rows had each outcome.
SELECT coalesce(outcome, 'imported'), count(*) FROM _final GROUP BY ALL
