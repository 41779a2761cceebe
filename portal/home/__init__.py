"""The customer's overview page (balance, credit, aging, statement to confirm, payments)."""
