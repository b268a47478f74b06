-- Records that a notice was sent to an address (the latest time and subject).
INSERT INTO notifications_sent
VALUES ($k, $key, $e, $at, $s)
ON CONFLICT (kind, key, email) DO UPDATE SET sent_at = $at, subject = $s
