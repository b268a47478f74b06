-- The addresses a notice of this kind and key was sent to.
SELECT email FROM notifications_sent WHERE kind = $k AND key = $key
