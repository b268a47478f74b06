-- The category codes, to check an action's target categories against.
SELECT code FROM categories
