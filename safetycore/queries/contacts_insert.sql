-- A new contact row.
INSERT INTO contacts VALUES ($e, $o, $g, $l, $by, $at)
