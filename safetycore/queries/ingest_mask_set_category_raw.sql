-- Writes the masked category_raw texts back from the registered frame _masked (text, masked).
UPDATE _cand SET category_raw = m.masked FROM _masked AS m WHERE _cand.category_raw = m.text
