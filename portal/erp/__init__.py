"""Imports from the customer's ERP (the system of record for customers and invoices)."""
