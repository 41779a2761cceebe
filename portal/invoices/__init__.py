"""The customer's invoices: list with filters, detail with payments and allocations."""
