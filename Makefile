# Pertinent: the two commands a new user needs are `make demo` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: help install system-deps services lint test test-fast demo stop bench clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | column -t -s $$'\t'

$(STAMP): pyproject.toml
	@# Debian ships venv separately (python3-venv); install it the first time it is missing.
	python3 -m venv $(VENV) || { rm -rf $(VENV); apt-get update -qq && apt-get install -y -qq -o DPkg::Lock::Timeout=600 python3-venv >/dev/null && python3 -m venv $(VENV); }
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[postgres,redis,test]'
	touch $@

install: $(STAMP)  ## create .venv and install the sidecar with its test tools

system-deps:  ## Debian packages the full suite needs (PHP, WordPress, MariaDB, Chromium, Node): installed only if missing
	bash scripts/system-deps.sh

services:  ## start the local PostgreSQL and Redis if they are not running
	bash scripts/services.sh

lint: install system-deps  ## ruff over Python, php -l and phpcs (WordPress standards) over the plugin, node --check over the snippet
	$(BIN)/ruff check sidecar sdk/python tests bench scripts
	bash scripts/lint-other.sh

test: install system-deps services lint  ## install what is needed and run the whole suite
	bash scripts/run-pytest.sh

test-fast: install services  ## the suite without the real-server, WordPress and browser tests
	bash scripts/run-pytest.sh -m "not slow"

# make demo PORT=8100 WP_PORT=8180 when 8000/8080 are taken; REBUILD=1 regenerates the data, retrains and
# starts the demo WordPress over (otherwise a re-run keeps what editors did there).
PORT ?= 8000
WP_PORT ?= 8080
REBUILD ?=

demo: install  ## generate the demo site, train, start the sidecar (and WordPress where PHP is available)
	$(BIN)/pertinent demo --port $(PORT) $(if $(filter 1,$(REBUILD)),--rebuild)
	PERTINENT_DEMO_WP_PORT=$(WP_PORT) bash scripts/wp/demo.sh up

stop:  ## stop what `make demo` started (the demo WordPress's files stay for the next `make demo`)
	bash scripts/wp/demo.sh down
	$(BIN)/pertinent demo --stop

$(VENV)/.bench-installed: $(STAMP) pyproject.toml
	$(PIP) install --quiet -e '.[bench]'
	touch $@

bench: install services $(VENV)/.bench-installed  ## latency, throughput, memory, training-time and ranking-quality numbers (prints, never fails on speed)
	$(PY) -m bench

clean:  ## remove the virtualenv and runtime data (var/)
	rm -rf $(VENV) var
