-- One category, added or replaced.
INSERT OR REPLACE INTO categories VALUES ($code, $kind, $sv, $en, $sensitive, $order)
