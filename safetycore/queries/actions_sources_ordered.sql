-- The source (organisation) codes in their display order.
SELECT code FROM sources ORDER BY sort_order
