-- Writes the demo database's log into its file.
CHECKPOINT
