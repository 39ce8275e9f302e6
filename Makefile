# Leertraject: `make run` to try it, `make test` to test it. Needs Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMPS := .stamps
MANAGE := $(BIN)/python manage.py

.DEFAULT_GOAL := help
.PHONY: help run test lint bench lock messages browser-deps compiled-messages clean

help:
	@echo "make run    set everything up and serve http://127.0.0.1:8000 with demo data"
	@echo "make test   run the whole test suite (SQLite, or PostgreSQL when DATABASE_URL is set)"
	@echo "make lint   ruff"
	@echo "make bench  benchmarks in bench/ (time and queries as data grows; set DATABASE_URL for PostgreSQL)"
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

compiled-messages: $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))

run: $(STAMPS)/base compiled-messages
	$(MANAGE) migrate --noinput -v0
	$(MANAGE) seed_demo
	@echo "Leertraject runs at http://127.0.0.1:8000 (stop with Ctrl+C)"
	$(MANAGE) runserver 127.0.0.1:8000

test: $(STAMPS)/dev $(STAMPS)/browser compiled-messages
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest --create-db --cov --cov-report=term:skip-covered $(PYTEST_ARGS)

lint: $(STAMPS)/dev
	$(BIN)/ruff check .

bench: $(STAMPS)/dev compiled-messages
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python -W ignore $$script || exit 1; done

messages: $(STAMPS)/dev
	$(MANAGE) makemessages -l nl -l en --ignore=.venv --ignore=node_modules --ignore=staticfiles --ignore=tests --ignore=bench --no-obsolete

lock: $(BIN)/python
	$(BIN)/uv pip compile --quiet requirements/base.in -o requirements/base.txt --python-version 3.11
	$(BIN)/uv pip compile --quiet requirements/dev.in -o requirements/dev.txt --python-version 3.11

clean:
	rm -rf $(VENV) $(STAMPS) node_modules db.sqlite3 media staticfiles test-results .coverage
