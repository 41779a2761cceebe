"""The token-authenticated JSON API an ERP uses to push customers and invoices."""
