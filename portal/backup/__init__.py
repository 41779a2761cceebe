"""``flask backup DIR``: a consistent copy of the database and the instance secrets."""
