"""Staff pages of customers: searchable list, customer page with portal users and contacts."""
