# Two commands on a fresh machine: `make serve` (build and serve the site) and `make test` (every test).
# Each sets up what it needs: the virtual environment, the packages, and Debian's Chromium for browser tests.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: serve build test check schema bench chromium clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	@touch $(STAMP)

serve: $(STAMP)
	$(BIN)/commun check content
	$(BIN)/mkdocs serve --dirty --livereload -a 127.0.0.1:8000

build: $(STAMP)
	$(BIN)/mkdocs build --strict

check: $(STAMP)
	$(BIN)/commun check content

schema: $(STAMP)
	$(BIN)/commun schema

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installation de Chromium (Debian) pour les tests dans le navigateur…"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

test: $(STAMP) chromium
	$(BIN)/ruff check plugins tests scripts
	$(BIN)/commun check content
	$(BIN)/commun schema --verifier
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python scripts/bench_check.py

clean:
	rm -rf site .cache
