-- Every user's and contact's address with a language (users first, in Swedish).
SELECT email, 'sv'
FROM user_roles
UNION ALL
SELECT email, any_value(language)
FROM contacts
GROUP BY email
