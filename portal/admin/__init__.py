"""Settings finance edits in the UI: the dunning ladder, write-off limits (blueprint "admin")."""
