# coachmatch: `make run` serves the demo, `make test` runs the suite.
VENV ?= .venv
PY := $(VENV)/bin/python
# `make run` installs what the service needs; tests, lint and benchmarks add the dev tools.
RUNTIME := $(VENV)/.runtime
STAMP := $(VENV)/.installed
# Test processes (pytest-xdist; every test has its own database, ports and folders).
TEST_WORKERS ?= 2

.PHONY: install run test lint bench clean messages

# The text in French and English: gettext catalogs (api/locale/<lang>/LC_MESSAGES/*.po),
# compiled to the .mo files the service reads; `make messages` also extracts the keys the
# code and templates use (messages.pot, for review: the catalog tests check them).
PO := $(wildcard api/locale/*/LC_MESSAGES/messages.po)
MO := $(PO:.po=.mo)
BABEL_KEYWORDS := --no-default-keywords -k t -k t_or

$(MO): %.mo: %.po $(RUNTIME)
	$(VENV)/bin/pybabel compile -i $< -o $@ --statistics

messages: $(MO)
	$(VENV)/bin/pybabel -q extract -F babel.cfg $(BABEL_KEYWORDS) --omit-header -o api/locale/messages.pot api

$(RUNTIME): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e .
	touch $(RUNTIME)

$(STAMP): $(RUNTIME)
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) $(MO)

# Loads the demo programme into ./coachmatch.db once (COACHMATCH_DATABASE_URL to change),
# prints the sign-ins, then serves on http://127.0.0.1:8000.
run: $(RUNTIME) $(MO)
	$(VENV)/bin/coachmatch demo
	$(VENV)/bin/coachmatch serve

test: install
	test -d tests/js/node_modules/ical.js -a -d tests/js/node_modules/axe-core || npm ci --prefix tests/js --no-audit --no-fund
	$(PY) -m pytest -q -n $(TEST_WORKERS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

bench: install
	$(PY) -m bench

clean:
	rm -rf $(VENV) node_modules .pytest_cache .mypy_cache $(MO)
