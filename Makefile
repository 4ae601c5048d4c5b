# Amiable — two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_DEV := $(VENV)/.installed-dev
NPM_STAMP := node_modules/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run demo worker test install install-dev lint typecheck test-only test-postgres bench bench-peers messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP_RUN): $(BIN)/python requirements/base.lock pyproject.toml
	$(BIN)/pip install --quiet -r requirements/base.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(STAMP_DEV): $(STAMP_RUN) requirements/dev.lock
	$(BIN)/pip install --quiet -r requirements/dev.lock
	touch $@

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(STAMP_RUN) $(NPM_STAMP)

install-dev: $(STAMP_DEV) $(NPM_STAMP)

# Installs what is missing, migrates, marks var/ as a demo database and loads the demo
# data once (demo accounts, random demo password printed), serves web + worker.
run: install
	$(BIN)/amiable run --demo --host $(HOST) --port $(PORT)

SCALE ?= 1
demo: install
	$(BIN)/amiable migrate --verbosity 0
	$(BIN)/amiable demo --scale $(SCALE)

worker: install
	$(BIN)/amiable worker

lint: install-dev
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m django makemigrations --check --dry-run --settings=amiable.config.settings
	$(BIN)/mypy src tests bench scripts
	$(BIN)/python scripts/messages.py check
	$(BIN)/bandit -c pyproject.toml -r src --severity-level high --quiet
	$(BIN)/python scripts/dependency_audit.py

messages: install-dev
	$(BIN)/python scripts/messages.py update

test: install-dev lint
	bash scripts/test.sh

test-only: install-dev
	bash scripts/test.sh

test-postgres: install-dev
	AMIABLE_TEST_POSTGRES=1 bash scripts/test.sh

typecheck: install-dev
	$(BIN)/mypy src tests bench scripts

bench: install-dev
	$(BIN)/python bench/run.py

# Side by side with django-helpdesk (installs it from PyPI into var/bench/peer-venv).
bench-peers: install-dev
	$(BIN)/python bench/peers/run.py --size 10000

clean:
	rm -rf $(VENV) node_modules var/static
