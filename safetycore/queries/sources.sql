-- Known sources plus any source that appears only in imported data.
SELECT code, label_sv, label_en, sort_order FROM sources
UNION ALL
SELECT DISTINCT source, source, source, 1000 FROM incidents
WHERE source NOT IN (SELECT code FROM sources)
ORDER BY 4, 1;
