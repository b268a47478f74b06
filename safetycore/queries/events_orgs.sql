-- Every event's invited organisations.
SELECT event_id, organisation FROM event_orgs
