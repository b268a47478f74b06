-- The categories with their kind, labels and sensitivity, in display order.
SELECT code, kind, label_sv, label_en, sensitive
FROM categories
ORDER BY sort_order;
