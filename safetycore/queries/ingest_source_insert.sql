-- A source (organisation) an import names, if it is new.
INSERT INTO sources VALUES ($code, $label, $label, 100) ON CONFLICT (code) DO NOTHING
