"""``GET /healthz``: is the database reachable, is a worker alive, how long is the queue."""
