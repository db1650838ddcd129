#!/usr/bin/env bash
# mypy over the sidecar package with the configuration in pyproject.toml ([tool.mypy]); exits non-zero
# on any error. Needs the test extra installed (mypy, pandas-stubs, scipy-stubs, types-gunicorn).
# Extra arguments go to mypy (e.g. --no-incremental).
set -euo pipefail
cd "$(dirname "$0")/.."
exec "${VENV:-.venv}/bin/mypy" "$@"
