-- Known sources plus any source that appears only in imported data. The weekly rollup holds
-- every source in use (kept in step with incidents in each write's transaction) in far fewer
-- rows than the incidents themselves: this list is read by every page's filters.
SELECT code, label_sv, label_en, sort_order FROM sources
UNION ALL
SELECT DISTINCT source, source, source, 1000 FROM rollup_weekly
WHERE source NOT IN (SELECT code FROM sources)
ORDER BY 4, 1;
