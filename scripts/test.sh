#!/usr/bin/env bash
# Runs the whole suite on SQLite, then (in CI, or when AMIABLE_TEST_POSTGRES=1) again
# on the PostgreSQL at 127.0.0.1:5432. Browser tests need Debian's chromium; outside CI
# a missing browser is reported as skipped, under CI=true it is a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export AMIABLE_VAR_DIR="${AMIABLE_VAR_DIR:-$PWD/var/test}"
export AMIABLE_TASKS="${AMIABLE_TASKS:-immediate}"
mkdir -p "$AMIABLE_VAR_DIR"
# The .mo catalogues are not committed: compile them so French/English tests see them.
(cd src/amiable && "../../$BIN/django-admin" compilemessages >/dev/null)

if [ -x /usr/bin/chromium ]; then
  export AMIABLE_CHROMIUM=/usr/bin/chromium
elif [ "${CI:-}" = "true" ]; then
  echo "error: CI=true but /usr/bin/chromium is missing; browser tests cannot be skipped in CI" >&2
  exit 1
else
  echo "note: /usr/bin/chromium not found: browser tests will be SKIPPED (apt-get install chromium)"
fi

WORKERS="${AMIABLE_TEST_WORKERS:-2}"
echo "== test suite on SQLite =="
DATABASE_URL= "$BIN/pytest" -n "$WORKERS" "$@"

if [ "${CI:-}" = "true" ] || [ "${AMIABLE_TEST_POSTGRES:-}" = "1" ]; then
  PG_URL="${AMIABLE_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
  echo "== test suite on PostgreSQL ($PG_URL) =="
  DATABASE_URL="$PG_URL" "$BIN/pytest" -n "$WORKERS" "$@"
fi
