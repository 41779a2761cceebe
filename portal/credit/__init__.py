"""Customers' payment behaviour, grades, credit limits and warnings (blueprint "credit")."""
