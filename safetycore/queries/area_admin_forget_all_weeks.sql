-- Forgets every rollup fingerprint, so every week is rebuilt.
DELETE FROM rollup_weeks
