# BeatCast developer commands. On a fresh Debian 12 machine: `make demo` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PYTHON := $(VENV)/bin/python
VERSION := $(shell sed -n 's/^version=//p' metadata.txt)
DIST_DIR ?= dist
QGIS_PROFILE_DIR ?= $(HOME)/.local/share/QGIS/QGIS3/profiles/default
PYTEST_ARGS ?=
# Sources scanned for translatable strings (pylupdate5 reads tr("...") calls and .ui files).
I18N_SOURCES = $(shell find __init__.py plugin.py core processing_provider ui \
	\( -name '*.py' -o -name '*.ui' \) -not -path '*/__pycache__/*' 2>/dev/null | sort)
TS_FILES := i18n/beatcast_es.ts
LRELEASE ?= lrelease

.PHONY: help setup test demo lint format typecheck package deploy desktop-check ts qm clean

help:
	@echo "make setup          install Debian packages, .venv and dev tools (idempotent, fast when done)"
	@echo "make test           run the whole test suite headless"
	@echo "make demo           run the pipeline on the demo city with qgis_process; outputs in demo_output/"
	@echo "make demo DATA=f    the same chain on your own export(s) f (TZ=..., SOURCE_CRS=..., CELL_SIZE=...)"
	@echo "make lint | format  ruff check + format check | reformat"
	@echo "make package        build $(DIST_DIR)/beatcast-$(VERSION).zip (Plugins > Install from ZIP)"
	@echo "make deploy         copy the plugin into QGIS_PROFILE_DIR=$(QGIS_PROFILE_DIR)"
	@echo "make desktop-check  start QGIS desktop under Xvfb with the plugin; screenshot and error check"
	@echo "make ts | qm        update i18n/*.ts from the sources | compile them to .qm"
	@echo "make clean          remove build outputs, caches and demo_output/"

setup:
	@bash scripts/setup.sh

test: setup
	QT_QPA_PLATFORM=offscreen $(PYTHON) -m pytest -p no:cacheprovider --qgis_disable_gui $(PYTEST_ARGS)

demo: setup
	@DATA="$(DATA)" bash scripts/demo.sh

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

typecheck: setup
	@if $(PYTHON) -m mypy --version >/dev/null 2>&1; then $(PYTHON) -m mypy core; \
	else echo "mypy is not installed in $(VENV): pip install mypy to type-check core/"; fi

package:
	@python3 scripts/package.py zip --dist "$(DIST_DIR)"

deploy:
	@python3 scripts/package.py deploy --plugins-dir "$(QGIS_PROFILE_DIR)/python/plugins"

desktop-check: setup
	@bash scripts/desktop_check.sh

# i18n/runtime_strings.py (generated, deleted again): strings that reach tr() only at run time (core/ texts,
# option lists translated with tr(variable)). Then translate the new entries: see scripts/i18n_fill.py.
ts: setup
	@mkdir -p i18n
	python3 scripts/i18n_fill.py runtime-strings i18n/runtime_strings.py
	PYTHONWARNINGS=ignore::DeprecationWarning pylupdate5 -noobsolete $(I18N_SOURCES) i18n/runtime_strings.py \
		-ts $(TS_FILES); status=$$?; rm -f i18n/runtime_strings.py; exit $$status
	@python3 scripts/i18n_check.py $(TS_FILES) || echo "make ts: translate the entries above, then make qm"

qm: setup
	@for ts in i18n/*.ts; do [[ -e $$ts ]] || continue; $(LRELEASE) -silent "$$ts" -qm "$${ts%.ts}.qm"; done

clean:
	rm -rf $(DIST_DIR) demo_output .pytest_cache .ruff_cache .hypothesis .mypy_cache
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
