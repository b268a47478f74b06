-- One source (organisation), added or replaced.
INSERT OR REPLACE INTO sources VALUES ($code, $sv, $en, $order)
