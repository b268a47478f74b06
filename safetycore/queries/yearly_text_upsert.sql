-- A section's text in a yearly report (replacing an earlier one).
INSERT INTO yearly_texts VALUES ($year, $section, $text, $by, $at)
               ON CONFLICT (year, section) DO UPDATE
               SET text = excluded.text, written_by = excluded.written_by,
                   written_at = excluded.written_at
