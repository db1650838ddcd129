#!/usr/bin/env bash
# mypy over the sidecar package with the configuration in pyproject.toml ([tool.mypy]); exits non-zero
# on any error. Needs the test extra installed (mypy, pandas-stubs, scipy-stubs, types-gunicorn).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${VENV:-.venv}"
export PYTHONPATH="$PWD/sidecar:$PWD/sdk/python${PYTHONPATH:+:$PYTHONPATH}"
exec "$VENV/bin/mypy" "$@"
