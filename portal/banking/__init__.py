"""Bank uploads, the review queue and the receipt archive (blueprint "banking")."""
