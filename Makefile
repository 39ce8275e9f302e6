# Leertraject: `make run` to try it, `make test` to test it. Needs Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMPS := .stamps
MANAGE := $(BIN)/python manage.py

.DEFAULT_GOAL := help
.PHONY: help run test lint bench load drills lock messages browser-deps compiled-messages clean

help:
	@echo "make run    set everything up and serve http://127.0.0.1:8000 with demo data"
	@echo "make test   run the whole test suite (SQLite, or PostgreSQL when DATABASE_URL is set)"
	@echo "make lint   ruff"
	@echo "make bench  key pages on the benchmark dataset (PostgreSQL) into docs/performance.md, then the other benchmarks"
	@echo "make load   50 users for two minutes against gunicorn, PostgreSQL and Redis (after make bench)"
	@echo "make drills Redis, PostgreSQL and worker fault drills (docs/resilience.md)"
	@echo "make lock   re-pin requirements/*.txt from requirements/*.in"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==0.13.8

$(STAMPS)/base: $(BIN)/python requirements/base.txt
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements/base.txt
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/dev: $(STAMPS)/base requirements/dev.txt
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements/dev.txt
	@mkdir -p $(STAMPS) && touch $@

# Browser tests need Debian's Chromium and axe-core (npm); installed here when possible.
$(STAMPS)/browser: package.json package-lock.json
	@command -v /usr/bin/chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null); \
	  else echo "Browser tests need Chromium: sudo apt-get install chromium"; exit 1; fi; }
	@command -v npm >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null); \
	  else echo "Browser tests need npm for axe-core: sudo apt-get install npm"; exit 1; fi; }
	npm ci --no-audit --no-fund --loglevel=error
	@mkdir -p $(STAMPS) && touch $@

browser-deps: $(STAMPS)/browser

# Babel compiles the catalogues, so no GNU gettext is needed on a fresh machine.
locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po $(STAMPS)/base
	$(BIN)/pybabel -q compile --domain=django --directory=locale --locale=$*

# locale_allauth/ holds formal Dutch for django-allauth's messages (see its django.po).
locale_allauth/%/LC_MESSAGES/django.mo: locale_allauth/%/LC_MESSAGES/django.po $(STAMPS)/base
	$(BIN)/pybabel -q compile --domain=django --directory=locale_allauth --locale=$*

compiled-messages: $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po locale_allauth/*/LC_MESSAGES/django.po))

run: $(STAMPS)/base compiled-messages
	$(MANAGE) migrate --noinput -v0
	$(MANAGE) seed_demo
	@echo "Leertraject runs at http://127.0.0.1:8000 (stop with Ctrl+C)"
	$(MANAGE) runserver 127.0.0.1:8000

test: $(STAMPS)/dev $(STAMPS)/browser compiled-messages
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest --create-db --cov --cov-report=term:skip-covered $(PYTEST_ARGS)

lint: $(STAMPS)/dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Benchmarks and drills need PostgreSQL and Redis; each uses a database and Redis db of its own.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/leertraject_bench
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/5
BENCH_SCRIPTS := import_rows pages compose_groups harvest_report reminders

$(STAMPS)/bench: $(STAMPS)/dev requirements/bench.txt
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements/bench.txt
	@mkdir -p $(STAMPS) && touch $@

# Every script runs; a key page that misses its target (key_pages exits 1) fails the target at the end.
bench: $(STAMPS)/dev compiled-messages
	@status=0; BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python -W ignore bench/key_pages.py || status=$$?; \
	for script in $(BENCH_SCRIPTS); do echo "== bench/$$script.py"; \
	  DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) $(BIN)/python -W ignore bench/$$script.py || exit 1; done; \
	exit $$status

load: $(STAMPS)/bench compiled-messages
	DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) $(BIN)/python -W ignore bench/load.py --manifest bench/out/manifest.json

drills: $(STAMPS)/dev compiled-messages
	@for drill in drill_redis drill_postgres drill_worker_kill; do echo "== bench/$$drill.py"; \
	  DATABASE_URL=$(BENCH_DATABASE_URL)_drill REDIS_URL=$(BENCH_REDIS_URL) $(BIN)/python -W ignore bench/$$drill.py || exit 1; done

messages: $(STAMPS)/dev
	$(MANAGE) makemessages -l nl -l en --ignore=.venv --ignore=node_modules --ignore=staticfiles --ignore=tests --ignore=bench --no-obsolete

lock: $(BIN)/python
	$(BIN)/uv pip compile --quiet requirements/base.in -o requirements/base.txt --python-version 3.11
	$(BIN)/uv pip compile --quiet requirements/dev.in -o requirements/dev.txt --python-version 3.11
	$(BIN)/uv pip compile --quiet requirements/bench.in -o requirements/bench.txt --python-version 3.11

clean:
	rm -rf $(VENV) $(STAMPS) node_modules db.sqlite3 media staticfiles test-results .coverage
