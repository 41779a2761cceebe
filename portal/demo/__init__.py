"""Demo data: a small trading business with customers, invoices, payments and staff."""
