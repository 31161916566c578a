# The README's two commands: `make run` and `make test`. Both set up .venv/ first.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False

.PHONY: run test setup eval lint clean

setup: $(STAMP)

# torch first, pinned to the local CPU wheel, so nothing later pulls a CUDA build.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

run: setup
	$(BIN)/rag ingest corpus/
	$(BIN)/rag chat

test: setup
	$(BIN)/python -m pytest

eval: setup
	$(BIN)/rag eval

lint: setup
	$(BIN)/ruff check rag store ui eval tests
	$(BIN)/ruff format --check rag store ui eval tests

clean:
	rm -rf .rag .pytest_cache eval/results
