"""The customer's payments: every receipt applied to or held for their company."""
