# The README's two commands: `make run` and `make test`. Both set up .venv/ first.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test setup browser eval bench lint clean

setup: $(STAMP)

# torch first, pinned to the local CPU wheel, so nothing later pulls a CUDA build.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[dev]'
	$(BIN)/python -m rag.embedding  # export the embedding model to ONNX once, offline
	touch $(STAMP)

# The chat UI and HTTP API over the bundled corpus (ingested on first start) at http://127.0.0.1:7860/
run: setup
	$(BIN)/rag serve

# Lint first: the declared style (ruff check + format) is part of passing.
test: setup browser lint
	$(BIN)/python -m pytest

# The browser tests drive Debian's Chromium; Playwright never downloads a browser of its own.
browser:
	@test -x $(CHROMIUM) || { echo "installing Debian's chromium for the browser tests"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }

eval: setup
	$(BIN)/rag eval

# The full benchmark: us vs the LlamaIndex starter pipeline, scale-out, the 1k/10k/100k-chunk scale curve
# (30-40 min on 2 cores, mostly embedding 100k distractor chunks once; kept in .bench/ for the next run).
bench: setup
	$(BIN)/rag bench --scale-dir .bench/scale

lint: setup
	$(BIN)/ruff check rag store ui eval tests
	$(BIN)/ruff format --check rag store ui eval tests

clean:
	rm -rf .rag .pytest_cache eval/results
