# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
# While working, `make test-fast` runs the quick tiers (unit and in-process integration).
PYTHON ?= python3
VENV := .venv
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt constraints.txt pyproject.toml | sha256sum | cut -c1-12)

.PHONY: run test test-fast lint setup chromium servers test-servers bench soak clean

run: setup servers
	$(VENV)/bin/python -m deploy.run

# The quick tiers run on parallel workers (pytest-xdist): they mostly wait on PostgreSQL, RabbitMQ
# and the services in the test's process, so more workers than cores pay. TEST_WORKERS=0: one
# process. The tiers that start processes (e2e, browser, slow) run one test at a time: side by
# side their systems would take more than PostgreSQL's 100 connections.
TEST_WORKERS ?= 3
PYTEST := $(VENV)/bin/python -m pytest -q
QUICK := -m "not e2e and not browser and not slow"

# Every tier (unit, integration, e2e, browser): what CI runs.
test: lint test-servers
	$(PYTEST) -n $(TEST_WORKERS) $(QUICK) $(PYTEST_ARGS)
	$(PYTEST) -m "e2e or browser or slow" $(PYTEST_ARGS)

# Unit and in-process integration tests: no browser, no e2e, nothing that starts processes or
# servers of its own (marked slow). Lint separately: `make lint`.
test-fast: setup test-servers
	$(PYTEST) -n $(TEST_WORKERS) $(QUICK) $(PYTEST_ARGS)

setup: $(STAMP) chromium

# Browser tests drive Debian's Chromium (Playwright cannot download its own browsers here).
chromium:
	@test -x /usr/bin/chromium || { echo "Chromium is missing (browser tests need it): installing Debian's chromium package"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q chromium; }

$(STAMP): requirements.txt requirements-dev.txt constraints.txt pyproject.toml
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install -q --upgrade pip
	$(VENV)/bin/python -m pip install -q -r requirements-dev.txt -c constraints.txt
	$(VENV)/bin/python -m pip install -q --no-deps -e .
	@rm -f $(VENV)/.installed-* && touch $@

# ruff (unused names, import order) and the import contracts in .importlinter.
lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache

servers:
	@deploy/check-servers.sh

# The tests also need PgBouncer installed (apt-get install pgbouncer when missing); they start their own.
test-servers:
	@LAMADI_SETUP_SERVERS="postgresql rabbitmq pgbouncer" deploy/check-servers.sh

bench: setup servers
	$(VENV)/bin/python -m bench.outbox_relay
	$(VENV)/bin/python -m bench.pdf_render
	$(VENV)/bin/python -m bench.receipt_email
	$(VENV)/bin/python -m bench.seal
	$(VENV)/bin/python -m bench.pipeline $(BENCH_ARGS)

# The fault campaign on its own RabbitMQ node, PostgreSQL cluster and ports (docs/soak.md).
soak: setup servers
	$(VENV)/bin/python -m bench.soak $(SOAK_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache
