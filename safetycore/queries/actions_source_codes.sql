-- The source (organisation) codes, to check an action's owner against.
SELECT code FROM sources
