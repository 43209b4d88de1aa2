# Kansenaudit — the single entry point for setting up, running and testing.
# `make demo` serves the bundled demo; `make test` runs every test and check.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
DEMO_DATA_DIR ?= $(CURDIR)/var/demo
# `make demo PORT=8080` serves the demo on another port (HOST=0.0.0.0 for other machines).
PORT ?= 8000
HOST ?= 127.0.0.1
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test
# The suite runs in parallel processes (pytest-xdist), one per core of the CI machine. The tests
# of one file stay in one process (loadfile), so that a module-scoped fixture (a browser module's
# demo server, the demo loaded once per module) is paid once, not in both. (loadgroup would be
# finer, but xdist 3.8 cannot regroup tests under pytest 9.)
PYTEST_WORKERS ?= 2
PYTEST_PARALLEL = -n $(PYTEST_WORKERS) --dist loadfile
# Every run lists its 15 slowest tests; `make test COVERAGE=1` adds a coverage summary (it costs
# about half again the suite's CPU time on Python 3.11, so it is not on by default).
PYTEST_REPORT = --durations=15 $(if $(COVERAGE),--cov=kansenaudit --cov-report=term:skip-covered)

.PHONY: help setup demo test test-postgres test-security lint format bench bench-load docs messages clean browser-deps ocr-deps office-deps postgres-rum

help:
	@echo "make demo           set up and serve the demo workbench at http://127.0.0.1:8000"
	@echo "                    (make demo PORT=8080 for another port)"
	@echo "make test           set up and run every test and check (SQLite)"
	@echo "make test-postgres  the test suite against PostgreSQL ($(POSTGRES_URL))"
	@echo "make test-security  the security regression suite (docs/security.md)"
	@echo "make lint | format | bench | bench-load | docs | messages | clean"

setup: $(INSTALLED) ocr-deps office-deps

# Python: a virtual environment with the locked (hash-checked) dependencies. uv (itself locked
# in requirements-setup.lock) installs them in seconds where pip takes a minute and a half.
$(INSTALLED): requirements-dev.lock requirements-setup.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements-setup.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --require-hashes -r requirements-dev.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	@# deduce (pseudonymisation of transcripts) builds its lookup tables on first use, which takes
	@# about two minutes; do it here rather than in the first test or upload that needs it. They
	@# are kept outside the venv (KANSENAUDIT_DEDUCE_CACHE), so a new clone on this machine reuses them.
	@echo "Loading deduce's lookup tables for pseudonymisation (built once per machine, about two minutes)…"
	$(BIN)/python -c "from kansenaudit.fieldwork.detectors import _deduce; _deduce()" 2>/dev/null
	touch $@

# Tesseract with Dutch for OCR of scanned documents (Debian packages). Without root or apt the
# set-up goes on and says what to install; ingestion then reports OCR as unavailable.
ocr-deps:
	@command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx nld || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Tesseract OCR with Dutch (tesseract-ocr, tesseract-ocr-nld)…"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr tesseract-ocr-nld >/dev/null; \
	  else \
	    echo "NOTE: install tesseract-ocr and tesseract-ocr-nld for OCR of scanned documents"; \
	  fi; }

# LibreOffice without a display (Debian packages), to check that the report's Word file and the
# exported workbooks open in the program people use: the tests convert them headless and read
# the result. Without it those tests are skipped (and fail in CI, which has the real set-up).
office-deps:
	@command -v soffice >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing LibreOffice (headless) to check DOCX and XLSX exports…"; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui libreoffice-calc-nogui >/dev/null \
	      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui libreoffice-calc-nogui >/dev/null; }; \
	  else \
	    echo "NOTE: install libreoffice-writer-nogui to check the report's DOCX in the tests"; \
	  fi; }

# RUM for the local PostgreSQL server (Debian package postgresql-NN-rum): a full-text index that
# ranks by itself, so search on PostgreSQL need not rank every matching page. Without it search
# uses GIN (slower on big dossiers; docs/methods/search.md); `kansenaudit evidence search-index`
# switches to RUM once the package is there.
postgres-rum:
	@v=$$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -n1); \
	if [ -n "$$v" ] && [ ! -e /usr/share/postgresql/$$v/extension/rum.control ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing RUM for PostgreSQL $$v (postgresql-$$v-rum)…"; \
	    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-$$v-rum >/dev/null; } \
	      || echo "NOTE: could not install postgresql-$$v-rum; search on PostgreSQL uses GIN"; \
	  else \
	    echo "NOTE: install postgresql-$$v-rum for faster search on PostgreSQL"; \
	  fi; \
	fi

# Debian's Chromium for the browser tests (Playwright drives it; no browser download).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests…"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

demo: setup
	KANSENAUDIT_DEMO=1 KANSENAUDIT_DATA_DIR=$(DEMO_DATA_DIR) $(BIN)/kansenaudit serve --demo \
	  --host $(HOST) --port $(PORT)

lint: $(INSTALLED)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/lint-imports --no-logo
	$(BIN)/mypy

format: $(INSTALLED)
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

test: setup browser-deps lint
	$(BIN)/pytest $(PYTEST_PARALLEL) $(PYTEST_REPORT)

# The suite again on PostgreSQL, without the tests that never touch a database (the
# Django-free layers: statistics, data sources, reports, the state-of-opportunity run, uitvraag
# workbooks, ingestion; the docs and layer checks): they ran in `make test` already and would
# only give the same result twice. (Naming `tests` also leaves out the doctests under src/.)
DATABASE_FREE_TESTS = tests/stats tests/data tests/demo tests/sources tests/reporting tests/staat tests/policy \
  tests/ingest tests/fieldwork tests/network tests/reports \
  tests/test_docs.py tests/test_layers.py tests/test_public_code.py
# The browser walks test what a person sees; they run on SQLite only, so that CI stays within
# its time (the database code under them is tested on both engines by the other tests).
BROWSER_TESTS = tests/browser

# The security regression suite alone (docs/security.md): every promise's test. `make test` runs
# it too; this is for checking a change to the guards quickly.
SECURITY_TESTS = tests/security tests/web/core/test_permission_matrix.py tests/web/core/test_audit_log.py \
  tests/web/accounts/test_auth_and_security.py tests/ingest/test_hostile.py tests/cli/test_every_command.py

test-security: setup
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(SECURITY_TESTS)

test-postgres: setup browser-deps postgres-rum
	DATABASE_URL=$(POSTGRES_URL) $(BIN)/pytest $(PYTEST_PARALLEL) $(PYTEST_REPORT) tests \
	  $(addprefix --ignore=,$(DATABASE_FREE_TESTS) $(BROWSER_TESTS))

bench: setup postgres-rum
	$(BIN)/python -m benchmarks.run
	$(BIN)/python -m benchmarks.bench_reports
	$(BIN)/python -m benchmarks.bench_ingest
	$(BIN)/python -m benchmarks.bench_search
	DATABASE_URL=$(POSTGRES_URL) $(BIN)/python -m benchmarks.bench_search
	$(BIN)/python -m benchmarks.bench_staat
	$(BIN)/python -m benchmarks.bench_inequality
	$(BIN)/python -m benchmarks.bench_trends
	$(BIN)/python -m benchmarks.bench_fieldwork_core
	$(BIN)/python -m benchmarks.bench_fieldwork
	$(BIN)/python -m benchmarks.bench_coding
	$(BIN)/python -m benchmarks.bench_findings
	$(BIN)/python -m benchmarks.bench_network

# Twenty users on the demo for ten minutes, on PostgreSQL (docs/benchmarks.md); alone, on a quiet
# machine: the load generator shares the cores with the server.
bench-load: setup
	DATABASE_URL=$(POSTGRES_URL) $(BIN)/python -m benchmarks.bench_load

docs: $(INSTALLED)
	$(BIN)/python -m kansenaudit.cli.reference > docs/cli.md
	$(BIN)/python -m kansenaudit.data.catalogue_docs docs/indicators

# Extract interface texts and compile the Dutch catalogue (needs GNU gettext; the compiled
# catalogue is committed, so running the application does not).
messages: $(INSTALLED)
	cd src/kansenaudit/web && KANSENAUDIT_DEBUG=1 KANSENAUDIT_SECRET_KEY=messages DJANGO_SETTINGS_MODULE=kansenaudit.web.settings \
	  $(CURDIR)/$(BIN)/django-admin makemessages -l nl --no-obsolete --ignore "migrations/*" && \
	  KANSENAUDIT_DEBUG=1 KANSENAUDIT_SECRET_KEY=messages DJANGO_SETTINGS_MODULE=kansenaudit.web.settings \
	  $(CURDIR)/$(BIN)/django-admin compilemessages

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .import_linter_cache .mypy_cache test-artifacts
