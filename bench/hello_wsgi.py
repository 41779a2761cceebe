"""A bare Flask "hello" app: the yardstick ``bench/company_bench.py`` serves with gunicorn."""

from __future__ import annotations

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    """Answer with a constant string."""
    return "hello"
