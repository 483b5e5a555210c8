# Two commands on a fresh machine: `make serve` (build and serve the site) and `make test` (every test).
# Each sets up what it needs: the virtual environment, the packages, and Debian's Chromium for browser tests.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

CMS := tools/cms
CMS_STAMP := $(CMS)/node_modules/.installed

.PHONY: serve build build-properdocs build-zensical test check schema bench chromium clean cms install hooks formulaire apercu-formulaire lock lock-upgrade

# The packages come from the lock (requirements/dev.txt: exact versions and their hashes, for CPython 3.11 on
# Linux x86_64), so a clone builds the same thing whatever the registry has published since. Only pip is needed:
# the lock holds the build backend too, so the project itself installs without fetching anything.
LOCK := requirements/dev.txt
PIP := $(BIN)/python -m pip --disable-pip-version-check

$(STAMP): $(LOCK) pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --require-hashes -r $(LOCK)
	$(PIP) install --quiet --no-deps --no-build-isolation -e .
	@touch $(STAMP)

# Rewrites the lock from the ranges of pyproject.toml (dependencies, the dev extra, the build backend), keeping
# the locked versions that still fit; `make lock-upgrade` moves everything to the newest allowed. Never a
# pre-release (MkDocs 2 pre-releases exist and drop plugins). The tool, uv, is only needed here.
UV_VERSION := 0.13.9
LOCK_COMMAND = $(BIN)/python -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"], sep="\n")' \
	| $(BIN)/uv pip compile --quiet pyproject.toml - --extra dev --generate-hashes --prerelease disallow \
	  --python-version 3.11 --python-platform x86_64-unknown-linux-gnu --custom-compile-command "make lock" -o $(LOCK)

$(BIN)/uv:
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet "uv==$(UV_VERSION)"

lock: $(BIN)/uv
	$(LOCK_COMMAND)

lock-upgrade: $(BIN)/uv
	$(LOCK_COMMAND) --upgrade

# The web form at /admin/ (Decap CMS) and its local server (decap-server), from npm, exactly as locked.
$(CMS_STAMP): $(CMS)/package.json $(CMS)/package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  echo "Installation de Node.js et npm (Debian) pour le formulaire web…"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq nodejs npm >/dev/null; }
	cd $(CMS) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $(CMS_STAMP)

cms: $(CMS_STAMP)

# The site audit tools of tests/browser/, from npm as locked: axe-core (accessibility) and the Nu Html Checker
# (vnu.jar, run with Java, installed from Debian when missing). Scripts off: vnu-jar's would fetch a Java runtime.
AUDIT := tools/audit
AUDIT_STAMP := $(AUDIT)/node_modules/.installed
$(AUDIT_STAMP): $(AUDIT)/package.json $(AUDIT)/package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  echo "Installation de Node.js et npm (Debian) pour les outils d'audit du site…"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq nodejs npm >/dev/null; }
	@command -v java >/dev/null 2>&1 || { \
	  echo "Installation de Java (Debian) pour le validateur HTML…"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq default-jre-headless >/dev/null; }
	cd $(AUDIT) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $(AUDIT_STAMP)

install: $(STAMP) $(CMS_STAMP) $(AUDIT_STAMP)

# Checks the fiches before each commit (.pre-commit-config.yaml).
hooks: $(STAMP)
	$(BIN)/pre-commit install

# The web form on this clone: `make serve` in one terminal, `make formulaire` in another, then open /admin/.
# The form works in its own git working copy (.cache/formulaire, branch formulaire, brought up to date with
# HEAD): each fiche saved is a commit there, and the files of this clone are never touched.
FORM_COPY := .cache/formulaire
formulaire: $(STAMP) $(CMS_STAMP)
	@$(BIN)/commun formulaire

# The fiches saved in the form, previewed from its working copy (drafts shown) on another port.
apercu-formulaire: $(STAMP) $(CMS_STAMP)
	@test -d $(FORM_COPY) || { echo "Le formulaire n'a pas encore de copie de travail : lancez d'abord make formulaire."; exit 1; }
	@echo "Aperçu des fiches du formulaire ($(FORM_COPY), branche formulaire) : http://127.0.0.1:8001"
	@cd $(FORM_COPY) && COMMUN_BROUILLONS=1 $(CURDIR)/$(BIN)/mkdocs serve --dirty --livereload -a 127.0.0.1:8001

# The preview starts even when fiches have errors: they are listed in the terminal and at the top of its pages,
# and go away as they are mended. `make build` (and `make check`) stay strict.
serve: $(STAMP) $(CMS_STAMP)
	@$(BIN)/mkdocs serve --dirty --livereload -a 127.0.0.1:8000

build: $(STAMP) $(CMS_STAMP)
	$(BIN)/mkdocs build --strict

# The same site built by Zensical, which runs no plugin: `commun zensical` writes every page into
# .cache/zensical/docs, has Zensical build them into site-zensical/, then writes the open data, PDFs,
# offline copy and search index.
build-zensical: $(STAMP) $(CMS_STAMP)
	$(BIN)/commun zensical

# The same site built by ProperDocs, the maintained fork of MkDocs 1.x (same mkdocs.yml, same plugin).
build-properdocs: $(STAMP) $(CMS_STAMP)
	$(BIN)/properdocs build --strict -f mkdocs.yml --site-dir site-properdocs

check: $(STAMP)
	$(BIN)/commun check content

schema: $(STAMP)
	$(BIN)/commun schema

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installation de Chromium (Debian) pour les tests dans le navigateur…"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

test: $(STAMP) $(CMS_STAMP) $(AUDIT_STAMP) chromium
	$(BIN)/ruff check plugins tests scripts
	$(BIN)/commun check content
	$(BIN)/commun schema --verifier
	$(BIN)/python -m pytest

bench: $(STAMP) chromium
	$(BIN)/python scripts/bench_check.py
	$(BIN)/python scripts/bench_weight.py
	$(BIN)/python scripts/bench_exports.py

clean:
	rm -rf site site-properdocs site-zensical .cache
