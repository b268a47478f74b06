-- The language of an address's contact rows, if it has any.
SELECT any_value(language) FROM contacts WHERE email = $e
