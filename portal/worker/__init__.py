"""``flask --app portal worker``: the background worker process (see :mod:`portal.jobs`)."""
