#!/usr/bin/env bash
# The long fuzz run of the API (the suite has a bounded one, tests/api/test_fuzz.py).
# Builds a scratch SQLite database with the demo data under var/fuzz, serves it on
# 127.0.0.1:$FUZZ_PORT and runs schemathesis over every operation (examples,
# coverage and fuzzing phases, valid and invalid data, all checks but
# positive_data_acceptance) as an administrator, then as an agent. Reports (JSON)
# land in var/fuzz/reports/<role>/. Exits non-zero when a run found a failure.
#
#   bash scripts/fuzz_api.sh            # 50 examples per operation and role
#   bash scripts/fuzz_api.sh 200 --max-failures 20   # more; extra schemathesis args
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="$PWD/.venv/bin"
export AMIABLE_VAR_DIR="${AMIABLE_VAR_DIR:-$PWD/var/fuzz}"
export AMIABLE_TASKS=immediate LOG_LEVEL="${LOG_LEVEL:-WARNING}" DATABASE_URL=
# The demo sends mail; keep it in memory rather than on the console.
export EMAIL_BACKEND="${EMAIL_BACKEND:-django.core.mail.backends.locmem.EmailBackend}"
PORT="${FUZZ_PORT:-8731}"
EXAMPLES="${1:-50}"
shift || true

mkdir -p "$AMIABLE_VAR_DIR"
rm -f "$AMIABLE_VAR_DIR"/amiable.sqlite3*
(cd src/amiable && "$BIN/django-admin" compilemessages >/dev/null)
"$BIN/amiable" migrate --verbosity 0
"$BIN/amiable" demo --quiet
declare -A TOKENS=(
  [admin]="$("$BIN/amiable" token create admin --name fuzz | head -1)"
  [agent]="$("$BIN/amiable" token create agent --name fuzz | head -1)"
)

"$BIN/amiable" manage runserver "127.0.0.1:$PORT" --noreload \
  >"$AMIABLE_VAR_DIR/server.log" 2>&1 &
SERVER=$!
trap 'kill "$SERVER"' EXIT

status=0
for role in admin agent; do
  echo "== schemathesis as $role ($EXAMPLES examples per operation) =="
  # Revoking a token would revoke the fuzzer's own; the suite tests that endpoint.
  PYTHONPATH=scripts SCHEMATHESIS_HOOKS=fuzz_hooks "$BIN/schemathesis" run \
    "http://127.0.0.1:$PORT/api/v1/openapi.json" \
    --wait-for-schema 30 \
    -H "Authorization: Bearer ${TOKENS[$role]}" \
    --checks all --exclude-checks positive_data_acceptance \
    --phases examples,coverage,fuzzing \
    --exclude-operation-id amiable_accounts_api_token_revoke_api \
    --max-examples "$EXAMPLES" --seed "${FUZZ_SEED:-1}" --workers 2 \
    --request-timeout 30 \
    --report json --report-dir "$AMIABLE_VAR_DIR/reports/$role" \
    "$@" || status=1
done
exit "$status"
