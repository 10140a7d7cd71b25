# Pūrei — `make demo` runs the demo, `make test` runs the tests. Nothing else to install.
SHELL := /bin/sh
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= $(shell scripts/find-python)
PORT ?= 8000
STAMP := $(VENV)/.installed


.PHONY: scale-demo test-api-fuzz demo serve test test-perf test-browser lighthouse test-postgres test-redis check format lint types layers messages clean bench

$(STAMP): requirements.lock pyproject.toml
	@test -n "$(PYTHON)" || { echo "No Python >= 3.12 found" >&2; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	PORT=$(PORT) $(BIN)/purei demo

serve: $(STAMP)
	PORT=$(PORT) $(BIN)/purei serve

# The whole suite except the browser tests (SQLite unless DATABASE_URL says otherwise),
# in parallel: pytest-xdist runs WORKERS processes (auto: one per core), each with its
# own test database (PostgreSQL: test_<name>_gw0, _gw1, …), cache and in-memory files.
# ARGS go to pytest after ours, so ARGS="-n 0 -k name" runs one test serially.
WORKERS ?= auto
test: $(STAMP)
	$(BIN)/pytest -m "not browser and not perf and not fuzz" -n $(WORKERS) $(ARGS)

# The same suite against PostgreSQL (a fresh database on the local server).
test-postgres: $(STAMP)
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/purei} $(BIN)/pytest -m "not browser and not perf and not fuzz" -n $(WORKERS) $(ARGS)

# The timing promises (marked `perf`, e.g. a dashboard over two years of orders in
# under 200 ms): one process, on SQLite, run alone — a time measured while other
# suites share the cores says nothing about the page.
test-perf: $(STAMP)
	$(BIN)/pytest -m perf -n 0 $(ARGS)

# The cache, rate-limit and search tests (marked `redis`) against a real Redis, as in
# production: REDIS_URL (default redis://127.0.0.1:6379/1). In parallel too: each test
# process keeps to keys of its own and clears only those.
test-redis: $(STAMP)
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/1} $(BIN)/pytest -n $(WORKERS) -m "redis and not browser and not fuzz" $(ARGS)

# schemathesis against the demo served by gunicorn, anonymously and with a member
# owner's API key, every check on (schemathesis.toml; docs/api.md "Fuzzing").
# SCHEMATHESIS_SEED=… tries other cases than CI's fixed seed.
test-api-fuzz: $(STAMP)
	$(BIN)/pytest -m fuzz tests/fuzz $(ARGS)

# Pūrei's production topology on this machine, as plain processes on ports of their
# own (docs/scaling.md): nginx, APP_PROCESSES gunicorn processes, PgBouncer, a
# PostgreSQL primary and streaming replica, Redis, RQ workers, SeaweedFS and an SMTP
# sink; locust loads it while parts are killed, then the books are verified. Prints
# the table and stops all it started. SHORT=1 is CI's short version. nginx,
# PgBouncer and PostgreSQL come from Debian (installed here if missing).
scale-demo: $(STAMP)
	@NEED=""; test -x /usr/sbin/nginx || NEED="nginx"; \
	test -x /usr/sbin/pgbouncer || NEED="$$NEED pgbouncer"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || NEED="$$NEED postgresql"; \
	if [ -n "$$NEED" ]; then apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$NEED; fi
	$(BIN)/python -m scripts.scale

# Playwright + axe in Debian's Chromium (/usr/bin/chromium or $$CHROMIUM_PATH), in one
# process (Chromium plus a live server per test; not run under xdist so far).
test-browser: $(STAMP)
	$(BIN)/pytest -m browser tests/e2e $(ARGS)

# Lighthouse (mobile) on the demo served by gunicorn: home, finder, shop, product, maker,
# cart and checkout, held to performance >= 95 and 100 for the rest (tests/lighthouse).
# Lighthouse 12.8.2 comes from npm (pinned in tools/lighthouse), Chromium from Debian.
LIGHTHOUSE_STAMP := tools/lighthouse/node_modules/.package-lock.json
$(LIGHTHOUSE_STAMP): tools/lighthouse/package.json tools/lighthouse/package-lock.json
	# npm install, not npm ci: one of Lighthouse's dependencies asks for
	# third-party-web@latest, so a lock file falls out of step whenever that is released.
	npm install --prefix tools/lighthouse --no-save --no-audit --no-fund --loglevel=error
	@touch $(LIGHTHOUSE_STAMP)

lighthouse: $(STAMP) $(LIGHTHOUSE_STAMP)
	$(BIN)/pytest -m lighthouse tests/lighthouse $(ARGS)

check: lint types layers
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: $(STAMP)
	$(BIN)/mypy purei tests conftest.py

# The import contracts in pyproject.toml (the apps in order; docs/architecture.md).
layers: $(STAMP)
	$(BIN)/lint-imports --no-cache

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Benchmark: generate SIZE products (1000), serve them with gunicorn, load each page
# for DURATION seconds (10) at CONCURRENCY (8) on ENGINES (sqlite,postgres); prints
# Markdown tables (docs/performance.md).
bench: $(STAMP)
	$(BIN)/python -m scripts.bench

# Extract strings and compile translations (needs GNU gettext's msgfmt).
messages: $(STAMP)
	cd purei && ../$(BIN)/python ../manage.py makemessages -l mi --no-obsolete
	cd purei && ../$(BIN)/python ../manage.py compilemessages -l mi

clean:
	rm -rf $(VENV) data/*.sqlite3* data/static
