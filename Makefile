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

# The demo also shows the example gateway core (examples/cores/gateway_lending) briefly.
GATEWAY := examples.cores.gateway_lending
demo: $(STAMP)
	$(BIN)/python -m harness.demo --also $(GATEWAY):core \
		python:$(GATEWAY).connectors.reference:ReferenceConnector gateway-r2

test: lint
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

# vulture finds dead code (settings in pyproject.toml, what it cannot see used in
# vulture_whitelist.py). Confidence 60 because it is the only level that reports unused
# functions, classes, methods, attributes and variables (vulture gives them all 60%); 80 and up
# would report only unused imports and arguments and unreachable code, which ruff already does.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/vulture --min-confidence 60

clean:
	rm -rf $(VENV) build dist reports
