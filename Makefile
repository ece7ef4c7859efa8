# dateline: the two commands a new user types are `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DB     ?= dateline.duckdb
SAMPLE := examples/pages examples/html examples/warc examples/tables

.PHONY: run test install install-test system-test-deps lint bench clean

$(BIN)/python:
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  echo "python3 -m venv failed: installing Debian's python3-venv"; \
	  apt-get update -qq && apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV); }
	@$(BIN)/python -m pip install -q --upgrade pip

# setup.py builds the one compiled part (dateline/extract/_linescan.c, optional: without a C
# compiler dateline runs its numpy path, same results, about half the labeller's speed)
$(VENV)/.installed: $(BIN)/python pyproject.toml setup.py dateline/extract/_linescan.c
	$(BIN)/python -m pip install -q -e .
	@$(BIN)/python -c "from dateline.extract.line_features import compiled; \
	  print('line labeller: compiled pass built' if compiled() else \
	        'line labeller: compiled pass NOT built (no C compiler?): the numpy path runs, slower')"
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(BIN)/python -m pip install -q -e '.[test]'
	@touch $@

# Debian packages the tests need: a Java runtime for Spark's local mode, chromium for the
# browser tests (driven by Playwright through executable_path; Playwright downloads nothing).
system-test-deps:
	@command -v java >/dev/null 2>&1 || { \
	  echo "Installing a Java runtime for the Spark tests (Debian: default-jre-headless)"; \
	  apt-get update -qq && apt-get install -y -qq default-jre-headless >/dev/null; }
	@bash scripts/install-browser.sh

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## run: ingest the bundled sample corpus into $(DB) and print a summary
run: install
	$(BIN)/dateline ingest $(SAMPLE) --db $(DB)
	@echo
	@echo "Look at the results:"
	@echo "  $(BIN)/dateline articles --db $(DB)            # what was stored"
	@echo "  $(BIN)/dateline show ID --db $(DB)             # one article, cleaned, with its metadata"
	@echo "  $(BIN)/dateline rejects --db $(DB)             # what was rejected, and why"
	@echo "  $(BIN)/dateline events --db $(DB)             # the coded events (filters: --help)"
	@echo "  $(BIN)/dateline serve --db $(DB)              # the web UI at http://127.0.0.1:8000"
	@echo "  $(BIN)/dateline process examples/pages/*.txt --format text   # no database"
	@echo "  $(BIN)/python -c \"import duckdb; print(duckdb.connect('$(DB)', read_only=True).sql('SELECT site, title FROM articles'))\""

## test: install what the tests need and run the whole suite
test: install-test system-test-deps
	$(BIN)/ruff check dateline tests bench
	$(BIN)/ruff format --check dateline tests bench
	$(BIN)/python -m pytest -q

lint: install-test
	$(BIN)/ruff check dateline tests bench
	$(BIN)/ruff format --check dateline tests bench

bench: install-test
	$(BIN)/python bench/textdump.py
	$(BIN)/python bench/html_extraction.py
	$(BIN)/python bench/times.py
	$(BIN)/python bench/geo.py
	$(BIN)/python bench/events.py
	$(BIN)/python bench/throughput.py
	$(BIN)/python bench/cluster.py
	$(BIN)/python bench/api_latency.py

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache $(DB) $(DB).wal
