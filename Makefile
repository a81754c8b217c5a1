# The two commands a newcomer needs: `make demo` and `make test`. Both create .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench lint clean mutation-docs

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m harness.demo

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -n 2

bench: $(STAMP)
	$(BIN)/python -m bench

# docs/mutation.md's generated sections: the reference connector's mutation score per profile.
REFERENCE := python:examples.connectors.reference_py:ReferenceConnector
mutation-docs: $(STAMP)
	$(BIN)/drawbridge mutate --connector $(REFERENCE) --profile v2 --jobs 2 \
		--out reports/mutation-v2 --markdown docs/mutation.md
	$(BIN)/drawbridge mutate --connector $(REFERENCE) --profile v3 --jobs 2 \
		--out reports/mutation-v3 --markdown docs/mutation.md

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) build dist reports
