-- Writes the masked description texts back from the registered frame _masked (text, masked).
UPDATE _cand SET description = m.masked FROM _masked AS m WHERE _cand.description = m.text
