-- Marks as sensitive the incidents whose category is sensitive.
UPDATE incidents
SET sensitive = true
FROM categories AS c
WHERE incidents.category = c.code AND c.sensitive AND NOT incidents.sensitive
