-- An organisation's contact addresses, each with its language.
SELECT email, any_value(language)
FROM contacts
WHERE organisation = $o
GROUP BY email
ORDER BY email
