# Two commands on a fresh machine with Python 3.11+ and make: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run test lint typecheck check-migrations pytest clean install dev

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "newsbot needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@ $(STAMP)

install: $(STAMP)
dev: $(DEV_STAMP)

run: $(STAMP)
	$(BIN)/newsbot run

lint: $(DEV_STAMP)
	$(BIN)/ruff check bot digests tests benchmarks

typecheck: $(DEV_STAMP)
	$(BIN)/mypy

check-migrations: $(DEV_STAMP)
	@tmp=$$(mktemp -d) && NEWSBOT_DATABASE_URL="sqlite+aiosqlite:///$$tmp/check.db" $(BIN)/newsbot db upgrade >/dev/null \
	  && NEWSBOT_DATABASE_URL="sqlite+aiosqlite:///$$tmp/check.db" $(BIN)/alembic check; rc=$$?; rm -rf "$$tmp"; exit $$rc

pytest: $(DEV_STAMP)
	$(BIN)/pytest

test: lint typecheck check-migrations pytest

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
