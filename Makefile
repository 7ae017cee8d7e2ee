# textkit — every task a researcher or CI needs, in one place. `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.textkit-installed

.DEFAULT_GOAL := help
.PHONY: help venv figures verify test lint lab bench lock clean

help: ## List the targets
	@grep -E '^[a-z][a-z-]*:.*## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*## "} {printf "  make %-9s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

venv: $(STAMP) ## Create or update the virtual environment from requirements.lock

figures: $(STAMP) ## Reproduce every figure: execute the notebooks headless into figures/ (CORPUS=dir FIGURES=dir to change)
	$(BIN)/textkit reproduce $(if $(CORPUS),--corpus $(CORPUS)) $(if $(FIGURES),--figures $(FIGURES))

verify: $(STAMP) ## Check figures/ against its provenance.json (no re-run)
	$(BIN)/textkit verify

test: $(STAMP) lint ## Lint, type-check and run the whole test suite (doctests and notebooks included)
	$(BIN)/pytest -n 2

lint: $(STAMP) ## ruff and mypy on the package
	$(BIN)/ruff check textkit tests benchmarks
	$(BIN)/mypy textkit

lab: $(STAMP) ## Open JupyterLab on the notebooks, in the project's environment
	$(BIN)/jupyter lab notebooks/

bench: $(STAMP) ## Run the benchmarks (slow; prints ratios against their baselines)
	$(BIN)/python benchmarks/bench_tokenize.py
	$(BIN)/python benchmarks/bench_reproduce.py
	$(BIN)/python benchmarks/bench_scale.py

lock: ## Re-pin requirements.lock to the newest versions pyproject.toml allows (needs the registry)
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[notebooks,dev]'
	.lock-venv/bin/python -m pip freeze --exclude-editable | grep -v '^textkit' > requirements.lock
	rm -rf .lock-venv

clean: ## Remove the virtual environment and build outputs (never figures/ or seeds/)
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache
