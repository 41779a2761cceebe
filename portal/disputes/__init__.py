"""Disputes on statement lines: customer side (raise, follow the thread) and staff side."""
