-- The organisations (sources) with their labels, in display order.
SELECT code, label_sv, label_en FROM sources ORDER BY sort_order
