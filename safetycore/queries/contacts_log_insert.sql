-- One row of the contact change log.
INSERT INTO contact_log VALUES ($at, $by, $change, $email, $org, $group, $detail)
