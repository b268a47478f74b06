-- The organisation (source) codes, to check an invited organisation against.
SELECT code FROM sources
