#!/usr/bin/env bash
# Runs pytest from the project's virtualenv. pytest's "no tests ran" (exit 5) is a failure here,
# not a pass: a suite that collected nothing has proven nothing.
set -uo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python -m pytest "$@"
rc=$?
if [ "$rc" -eq 5 ]; then
  echo "run-pytest: pytest collected no tests; failing on purpose" >&2
  exit 1
fi
exit "$rc"
