# lexgraph: `make demo` builds the graph and answers one question; `make test` runs the suite.
# Both create .venv on first use and reuse it afterwards (the stamp files record what is installed).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SHARED ?= ../shared
RESEARCH ?= graph/research

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

# The browser tests drive Debian's Chromium through Playwright (never a browser that
# `playwright install` downloads). Installed once, quietly, where it is missing; without apt-get
# the browser tests are skipped, and say so.
CHROMIUM := /usr/bin/chromium
SUDO     := $(if $(filter 0,$(shell id -u)),,sudo)

$(CHROMIUM):
	@if command -v apt-get >/dev/null 2>&1; then \
	  echo "installing Debian's chromium for the browser tests"; \
	  $(SUDO) apt-get update -qq >/dev/null && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	    chromium fonts-dejavu-core >/dev/null; \
	else echo "warning: no apt-get: install Chromium as $(CHROMIUM) to run the browser tests"; fi

# The Virtuoso tests start a private OpenLink Virtuoso 7 of their own (tests/virtuoso.py), never
# the system's: only the binaries are installed (virtuoso-opensource-7-bin has no service and
# asks no dba password), once, quietly, where missing; without apt-get those tests are skipped.
VIRTUOSO := /usr/bin/virtuoso-t

$(VIRTUOSO):
	@if command -v apt-get >/dev/null 2>&1; then \
	  echo "installing Debian's virtuoso-opensource-7-bin for the Virtuoso tests"; \
	  log=$$(mktemp); \
	  if $(SUDO) apt-get update -qq >$$log 2>&1 && \
	    $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	      virtuoso-opensource-7-bin >>$$log 2>&1; \
	  then rm -f $$log; else cat $$log; rm -f $$log; exit 1; fi; \
	else echo "warning: no apt-get: install OpenLink Virtuoso 7 as $(VIRTUOSO) to run the Virtuoso tests"; fi

pytest: $(VENV)/.installed-dev $(CHROMIUM) $(VIRTUOSO)
	$(BIN)/pytest

test: lint typecheck pytest

# The UNTC status tables of 2013-2015 (shared/data/untc-2014/): each line names the table, the
# instrument, the table's as-at date from as-at.csv and its page from index.csv.
UNTC_2014_NOTE := Transcribed from the UNTC table as scraped in the GitHub repository zmjones/untreaties (commit 003ce1309c), which drops the footnotes. The as-at date is the date of the commit that last changed the file there, not a date printed by the UNTC, and later re-scrapes did not refresh every file: read the rows as the status as at that date, not as current status.
UNTC_2014 = $(BIN)/lexgraph import untc --note "$(UNTC_2014_NOTE)"
UNTC_TABLES = $(SHARED)/data/untc-2014/treaties
UNTC_PAGE = http://treaties.un.org/pages/ViewDetails.aspx?src=TREATY&mtdsg_no=

# Regenerates graph/imported/ (articles, states, regions, SDG, participation records) from the
# shared reference data and from the research inputs of graph/research/ (developers only; CI
# never runs it; tests/test_research_inputs.py holds graph/imported/ to those inputs).
imports: $(VENV)/.installed
	$(BIN)/lexgraph import articles $(SHARED)/data/treaty-articles/article-headings.csv
	$(BIN)/lexgraph import countries $(SHARED)/data/countries/country-codes.csv
	$(BIN)/lexgraph import sdg $(SHARED)/data/sdg/sdg-kos-goals-targets-indicators.ttl
	$(BIN)/lexgraph import csv $(SHARED)/data/participation/participation-sample.csv --name source-checked --drop-tertiary
	$(BIN)/lexgraph import csv $(RESEARCH)/tiers-replacements.csv
	$(BIN)/lexgraph import csv $(RESEARCH)/coe-participation.csv --name coe-research
	$(BIN)/lexgraph import csv $(RESEARCH)/un-later-consents.csv --name un-later-consents
	$(BIN)/lexgraph import csv $(RESEARCH)/regional-participation.csv --name regional-research
	$(BIN)/lexgraph import csv $(RESEARCH)/regam-participation.csv --name regam-research
	$(BIN)/lexgraph import csv $(RESEARCH)/terror-participation.csv --name terror-research
	$(BIN)/lexgraph import bilateral $(RESEARCH)/bilateral-seed.csv --name seed
	$(BIN)/lexgraph import csv $(RESEARCH)/eu-acts.csv --name eu-acts --complete eu-eaw-2002 --complete eu-eio-2014 --complete-as-at 2023-09-15 --complete-source https://docs.ted.europa.eu/eforms/latest/reference/code-lists/eu-country.html
	$(UNTC_2014) $(UNTC_TABLES)/18-12.csv --instrument untoc --as-at 2014-01-27 --source '$(UNTC_PAGE)XVIII-12&chapter=18&lang=en'
	$(UNTC_2014) $(UNTC_TABLES)/18-12-a.csv --instrument untoc-tip-protocol --as-at 2014-01-27 --source '$(UNTC_PAGE)XVIII-12-a&chapter=18&lang=en'
	$(UNTC_2014) $(UNTC_TABLES)/18-12-b.csv --instrument untoc-som-protocol --as-at 2014-07-10 --source '$(UNTC_PAGE)XVIII-12-b&chapter=18&lang=en'
	$(UNTC_2014) $(UNTC_TABLES)/18-12-c.csv --instrument untoc-firearms-protocol --as-at 2014-07-10 --source '$(UNTC_PAGE)XVIII-12-c&chapter=18&lang=en'
	$(UNTC_2014) $(UNTC_TABLES)/18-14.csv --instrument uncac --as-at 2014-07-10 --source '$(UNTC_PAGE)XVIII-14&chapter=18&lang=en'
	$(UNTC_2014) $(UNTC_TABLES)/18-11.csv --instrument terrorist-financing-1999 --as-at 2014-07-10 --source '$(UNTC_PAGE)XVIII-11&chapter=18&lang=en'
	$(UNTC_2014) $(UNTC_TABLES)/18-9.csv --instrument terrorist-bombings-1997 --as-at 2014-03-19 --source '$(UNTC_PAGE)XVIII-9&chapter=18&lang=en'
	$(UNTC_2014) $(UNTC_TABLES)/18-15.csv --instrument nuclear-terrorism-2005 --as-at 2014-07-10 --source '$(UNTC_PAGE)XVIII-15&chapter=18&lang=en'
	$(UNTC_2014) $(UNTC_TABLES)/18-5.csv --instrument hostages-1979 --as-at 2014-03-19 --source '$(UNTC_PAGE)XVIII-5&chapter=18&lang=en'
	$(UNTC_2014) $(UNTC_TABLES)/18-7.csv --instrument internationally-protected-persons-1973 --as-at 2014-01-27 --source '$(UNTC_PAGE)XVIII-7&chapter=18&lang=en'
	$(UNTC_2014) $(UNTC_TABLES)/6-19.csv --instrument illicit-traffic-1988 --as-at 2014-07-10 --source '$(UNTC_PAGE)VI-19&chapter=6&lang=en'
	$(UNTC_2014) $(UNTC_TABLES)/6-16.csv --instrument psychotropic-substances-1971 --as-at 2014-01-27 --source '$(UNTC_PAGE)VI-16&chapter=6&lang=en'
	$(UNTC_2014) $(UNTC_TABLES)/6-17.csv --instrument protocol-amending-single-convention-1972 --as-at 2015-03-14 --source '$(UNTC_PAGE)VI-17&chapter=6&lang=en'
	$(UNTC_2014) $(UNTC_TABLES)/6-18.csv --instrument single-convention-1961-as-amended-1972 --as-at 2015-03-14 --source '$(UNTC_PAGE)VI-18&chapter=6&lang=en'

clean:
	rm -rf build

# Benchmarks (issue 4): every library question on rdflib, lexgraph and raw pyoxigraph, on the
# shipped graph and on a synthetic graph of 1M triples (about 8 minutes; see bench/README.md).
.PHONY: bench
bench: $(VENV)/.installed
	$(BIN)/python bench/bench_queries.py

# Start-up (issue 11): `lexgraph query` and `lexgraph basis` against a bare pyoxigraph script
# asking the same question, as fresh processes (about a minute; see bench/README.md).
.PHONY: bench-startup
bench-startup: $(VENV)/.installed
	$(BIN)/python bench/bench_startup.py
