"""Statements of account in the portal: issue, view, confirm (service by helper E, views by F)."""
