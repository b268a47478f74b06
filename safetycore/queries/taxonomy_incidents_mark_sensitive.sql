-- Marks as sensitive the incidents of the categories that became sensitive ($codes): the
-- writer copied the category's sensitivity when they were written (safetycore/incidents.py).
UPDATE incidents
SET sensitive = true
WHERE list_contains($codes, category) AND NOT sensitive
