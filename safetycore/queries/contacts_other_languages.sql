-- The other languages an address's contact rows have, with how many rows each.
SELECT language, count(*) FROM contacts WHERE email = $e AND language <> $l GROUP BY language
