#!/usr/bin/env bash
# Run a command with a throw-away PostgreSQL server (scripts/test-postgres.sh) and stop the
# server afterwards if this script started it, whether the command passes, fails or is
# interrupted. The command gets TEST_DATABASE_URL; its exit status is this script's.
# Usage: scripts/with-test-postgres.sh COMMAND [ARGS...]
set -euo pipefail
here=$(dirname "$0")
if bash "$here/test-postgres.sh" status; then started=0; else started=1; fi
stop() { if [ "$started" -eq 1 ]; then bash "$here/test-postgres.sh" stop; fi; }
trap stop EXIT
trap 'exit 130' INT TERM
TEST_DATABASE_URL=$(bash "$here/test-postgres.sh" start)
export TEST_DATABASE_URL
status=0
"$@" || status=$?
exit "$status"
