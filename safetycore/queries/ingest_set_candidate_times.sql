-- Sets the candidate rows' times from the registered frame _converted (pos, t).
UPDATE _cand SET occurred_at = c.t FROM _converted AS c WHERE _cand.pos = c.pos
