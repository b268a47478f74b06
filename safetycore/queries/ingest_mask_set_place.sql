-- Writes the masked place texts back from the registered frame _masked (text, masked).
UPDATE _cand SET place = m.masked FROM _masked AS m WHERE _cand.place = m.text
