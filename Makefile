# Two commands set everything up on a fresh machine with Python 3.11+ and make:
#   make demo   - install, migrate a SQLite database under var/, load the demo, serve it
#   make test   - install with the dev extras, run ruff, mypy and pytest

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha256sum | cut -c1-12)

.PHONY: demo test lint install bench clean messages

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/smolny demo

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

test: lint
	$(BIN)/pytest -n auto

# The pages' text: extract the English from the code and templates, and bring every
# language's catalogue (src/smolny/locale/*/LC_MESSAGES/smolny.po) in step; see docs/languages.md.
messages: $(STAMP)
	@mkdir -p var
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k say -k _p:1c,2 -k pgettext:1c,2 -k npgettext:1c,2,3 \
		--add-location=file --sort-by-file --no-wrap --project=Smolny -o var/smolny.pot .
	$(BIN)/pybabel update -i var/smolny.pot -d src/smolny/locale -D smolny \
		--no-fuzzy-matching --no-wrap --ignore-obsolete

# The counting benchmark against the Python peers (not part of `make test`).
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python bench/counting.py

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache .hypothesis
