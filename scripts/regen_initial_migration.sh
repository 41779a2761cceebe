#!/usr/bin/env bash
# Regenerate the single initial migration from the models (only while nothing has shipped).
# Hand-written later revisions (0002, ...) are set aside meanwhile and put back afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
mkdir "$tmp/later"
restore() {
  find "$tmp/later" -name '*.py' -exec mv {} migrations/versions/ \;
  rm -rf "$tmp"
}
trap restore EXIT
find migrations/versions -maxdepth 1 -name '*.py' ! -name '*_initial_schema.py' \
  -exec mv {} "$tmp/later/" \;
rm -f migrations/versions/*_initial_schema.py
CONCORD_DATABASE_URL="sqlite:///$tmp/empty.sqlite3" CONCORD_SECRET_KEY=regen \
  CONCORD_KEY_PASSPHRASE=regen \
  .venv/bin/alembic revision --autogenerate --rev-id 0001 -m "initial schema" >/dev/null
.venv/bin/ruff format migrations/versions >/dev/null
.venv/bin/ruff check --fix migrations/versions >/dev/null || true
restore
trap - EXIT
ls migrations/versions
