-- The sources (organisations) with their labels.
SELECT code, label_sv, label_en FROM sources
