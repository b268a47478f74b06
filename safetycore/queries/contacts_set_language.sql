-- Moves an address's contact rows from one language to another.
UPDATE contacts SET language = $l WHERE email = $e AND language = $old
