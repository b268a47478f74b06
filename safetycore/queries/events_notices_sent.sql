-- The event notices already sent: the notice's key and the address.
SELECT key, email FROM notifications_sent WHERE kind = 'event'
