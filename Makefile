# Concord: `make run` serves the portal, `make test` runs every check,
# `make serve` runs it in production (gunicorn and the background worker).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# named by pyproject.toml's content, not its date: a checkout or rebase that leaves the
# dependencies as they are does not reinstall them (that took most of `make run`'s first start)
STAMP := $(VENV)/.installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 5000
# DEMO=0: `make run` loads no demo data (and says how to create the first admin)
DEMO ?= 1
WORKERS ?= 4
THREADS ?= 2
# `make test` runs the suite in this many processes (1: one, as plain pytest)
PYTEST_WORKERS ?= 2
# links in e-mails, text messages and PDFs point here; follows PORT unless set
BASE_URL ?= http://$(HOST):$(PORT)
CONCORD_BASE_URL ?= $(BASE_URL)

.PHONY: install run serve test lint typecheck pytest migrate demo demo-background bench clean

install: $(STAMP)

$(STAMP):
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools wheel
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed*
	touch $(STAMP)

migrate: install
	$(BIN)/alembic upgrade head

# migrates in the same process (one Python start less than `migrate` then `demo`)
demo: install
	$(BIN)/flask --app portal demo --if-empty --migrate

# `make run`: the server's worker thread issues the demo statements while it starts
demo-background: install
	$(BIN)/flask --app portal demo --if-empty --migrate --statements-in-background

run: export CONCORD_BASE_URL := $(CONCORD_BASE_URL)
run: $(if $(filter 0,$(DEMO)),migrate,demo-background)
	$(if $(filter 0,$(DEMO)),@$(BIN)/flask --app portal users first-admin-hint)
	@echo "Concord (development server): $(CONCORD_BASE_URL)/"
	CONCORD_JOBS_WORKER=true $(BIN)/flask --app portal run --host $(HOST) --port $(PORT)

# production: no demo data; gunicorn ($(WORKERS) workers x $(THREADS) threads) and the worker
serve: export CONCORD_BASE_URL := $(CONCORD_BASE_URL)
serve: migrate
	@$(BIN)/flask --app portal users first-admin-hint
	$(BIN)/python -m portal.serve --host $(HOST) --port $(PORT) --workers $(WORKERS) --threads $(THREADS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

# two processes (pytest-xdist): each has its own SQLite files and PostgreSQL databases.
# Bytecode is cached even where the environment turns it off (PYTHONDONTWRITEBYTECODE): the
# workers and every `flask`/`python -m` the tests start would compile Concord again each time.
pytest: install
	PYTHONDONTWRITEBYTECODE= $(BIN)/pytest -q -n $(PYTEST_WORKERS)

test: lint typecheck pytest

bench: install
	$(BIN)/python -m bench.parse_bench
	$(BIN)/python bench/match_bench.py
	$(BIN)/python bench/statements_bench.py
	$(BIN)/python bench/upload_bench.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
