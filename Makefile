# lexgraph: `make demo` builds the graph and answers one question; `make test` runs the suite.
# Both create .venv on first use and reuse it afterwards (the stamp files record what is installed).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SHARED ?= ../shared

.PHONY: demo test lint typecheck pytest build imports clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

demo: $(VENV)/.installed
	$(BIN)/lexgraph build
	$(BIN)/lexgraph stats
	$(BIN)/lexgraph query instruments-providing-modality -p modality=extradition

build: $(VENV)/.installed
	$(BIN)/lexgraph build

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy src

pytest: $(VENV)/.installed-dev
	$(BIN)/pytest

test: lint typecheck pytest

# Regenerates graph/imported/ from the shared reference data (developers only; CI never runs it).
imports: $(VENV)/.installed
	$(BIN)/lexgraph import articles $(SHARED)/data/treaty-articles/article-headings.csv
	$(BIN)/lexgraph import countries $(SHARED)/data/countries/country-codes.csv
	$(BIN)/lexgraph import sdg $(SHARED)/data/sdg/sdg-kos-goals-targets-indicators.ttl

clean:
	rm -rf build
