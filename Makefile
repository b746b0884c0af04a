# `make demo` and `make test` do all the set-up on a bare machine: a .venv with the pinned package.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= data/demo.db
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install browsers postgres demo test bench bench-scale clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[test,ray,postgres]'
	touch $(STAMP)

install: $(STAMP)

# the browser tests drive Debian's chromium (never a browser download); as root here, with sudo elsewhere
browsers:
	@command -v chromium >/dev/null || (sudo -n apt-get install -y chromium || apt-get install -y chromium \
		|| (apt-get update && apt-get install -y chromium))

# the PostgreSQL tests start a throwaway server from Debian's package on loopback (tests/postgres/cluster.py)
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || (sudo -n apt-get install -y postgresql \
		|| apt-get install -y postgresql || (apt-get update && apt-get install -y postgresql))

demo: $(STAMP)
	@mkdir -p $(dir $(DB))
	$(BIN)/letopis ingest examples --db $(DB) || [ $$? -eq 1 ]
	$(BIN)/letopis status --db $(DB)
	$(BIN)/letopis serve --db $(DB) --host $(HOST) --port $(PORT)

test: $(STAMP) browsers postgres
	LETOPIS_PG_REQUIRED=1 $(BIN)/python -m pytest -q

# benchmarks, never part of `make test`: about 11 minutes here; bench-scale, the 100k-article runs, about two hours
bench: $(STAMP)
	$(BIN)/python bench/run.py

bench-scale: $(STAMP)
	$(BIN)/python bench/run.py --scale

clean:
	rm -rf $(VENV) data/*.db
