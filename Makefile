# Survey line. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := service:create_app
PYTEST_ARGS ?=
# pytest-xdist processes for `make test` (one per core); each has its own database and Redis db. 0: one process.
TEST_WORKERS ?= auto

.DEFAULT_GOAL := help

# Unset SURVEY_LINE_ENV means production (which needs SECRET_KEY). `make run` and its steps are for a
# developer's machine and the tests for themselves, so they say which they want; an exported value wins.
migrate demo-data run: export SURVEY_LINE_ENV ?= development
test: export SURVEY_LINE_ENV ?= test

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-12s %s\n", $$1, $$2}'

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "Needs $(PYTHON) on the PATH" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed ## Create the virtual environment and install the pinned requirements

install-dev: $(VENV)/.installed-dev ## Also install the test and lint tools

migrate: install ## Bring the database up to the latest migration
	$(BIN)/flask db upgrade

demo-data: migrate ## Load the shipped consultations, demo staff and demo requests
	$(BIN)/flask seed
	$(BIN)/flask demo-data

run: format-tools migrate ## Install, migrate, start Redis (embedded unless REDIS_URL), add demo data, start web + worker; Ctrl-C stops
	$(BIN)/python -m service.launcher

# Braille (liblouis with its UEB tables) and audio (espeak-ng, ffmpeg): the service makes them itself.
FORMAT_TOOLS := /usr/bin/lou_translate /usr/share/liblouis/tables/en-ueb-g2.ctb /usr/bin/espeak-ng /usr/bin/ffmpeg
FORMAT_PACKAGES := liblouis-bin liblouis-data espeak-ng ffmpeg
SYSTEM_TOOLS := /usr/bin/chromium /usr/bin/pdftoppm /usr/bin/zbarimg $(FORMAT_TOOLS)
SYSTEM_PACKAGES := chromium poppler-utils zbar-tools $(FORMAT_PACKAGES)

format-tools: ## Debian packages for braille and audio: installed as root; without them, those are made by hand
	@missing=0; for tool in $(FORMAT_TOOLS); do [ -e $$tool ] || missing=1; done; \
	if [ $$missing = 1 ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(FORMAT_PACKAGES) >/dev/null \
	      || echo "Could not install $(FORMAT_PACKAGES): braille and audio will be made by hand" >&2; \
	  else echo "Without Debian's $(FORMAT_PACKAGES), braille and audio are made by hand (as root: make format-tools)" >&2; fi; \
	fi

system-deps: ## Debian packages the tests use: chromium, poppler-utils and zbar-tools, and the braille and audio tools
	@missing=0; for tool in $(SYSTEM_TOOLS); do [ -e $$tool ] || missing=1; done; \
	if [ $$missing = 1 ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	  else echo "Install Debian's $(SYSTEM_PACKAGES) (as root: make system-deps)" >&2; exit 1; fi; \
	fi

test: install-dev system-deps ## Run the whole test suite (SQLite + embedded Redis unless DATABASE_URL / REDIS_URL are set)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: install-dev ## ruff: lint and check formatting; mypy: type-check service/ and workers/
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install-dev ## ruff: fix formatting
	$(BIN)/ruff format .

BENCH_ARGS ?=
FAULT_ARGS ?=

faults: install-dev ## Attack real workers, gunicorn and Redis at random points; print what was lost or doubled (FAULT_ARGS="--seed N", "--no-postgres", "--no-sqlite", "--redis-url URL")
	$(BIN)/python -m benchmarks.faults $(FAULT_ARGS)

bench: install-dev ## Run the benchmarks and print their figures (BENCH_ARGS="--quick", "--only 2,4", "--no-postgres", "--no-sqlite")
	$(BIN)/python -m benchmarks $(BENCH_ARGS)

clean: ## Remove the virtual environment (keeps instance/ data)
	rm -rf $(VENV)

.PHONY: system-deps format-tools help install install-dev migrate demo-data run test lint format bench faults clean
