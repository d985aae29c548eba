# The compendium's commands. `make help` lists them. Every target creates the
# project's virtual environment (.venv) from pyproject.toml on first use.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Optional overrides for `make book`, e.g. make book START=2017-01-01 END=2017-06-30
# (HASHTAG=none keeps every post; STUDY=none gives a neutral book; TZ= is read only
# from the command line, never from the environment's TZ).
START ?=
END ?=
DATA ?=
HASHTAG ?=
STUDY ?=
BUILD_ARGS := $(if $(START),--start $(START)) $(if $(END),--end $(END)) \
	$(if $(DATA),--data $(DATA)) $(if $(filter command line,$(origin TZ)),--tz $(TZ)) $(if $(STUDY),--study $(STUDY)) \
	$(if $(HASHTAG),$(if $(filter none,$(HASHTAG)),--no-hashtag,--hashtag '$(HASHTAG)'))

.DEFAULT_GOAL := help
.PHONY: help env lock book pdf data calibrate test test-fast fuzz bench lint lint-chapters format clean

help: ## List the commands
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

# The environment is installed from requirements.lock: every package, direct or not, at
# the version resolved by `make lock` and checked against its hashes; then the project
# itself, which adds nothing (--no-deps; built with the locked setuptools, whose notice
# about editable installs in general is silenced).
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	PYTHONWARNINGS='ignore:Editable installation' \
		$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

env: $(STAMP) ## Create the virtual environment (.venv) with exactly the locked versions (requirements.lock)

# What the lock adds to pyproject.toml's dependencies (and its dev extra): the installer
# and the build backend, so that nothing make env installs is left unpinned.
LOCK_TOOLS = pip setuptools wheel

lock: $(STAMP) ## Re-resolve requirements.lock from pyproject.toml (every package, with hashes; needs PyPI)
	printf '%s\n' $(LOCK_TOOLS) | $(BIN)/uv pip compile pyproject.toml - --extra dev \
		--universal --python-version 3.11 --generate-hashes \
		--custom-compile-command 'make lock' --quiet --output-file requirements.lock

book: $(STAMP) ## Build the book on the default data into _build/html (START=, END=, DATA=, HASHTAG=, TZ=, STUDY= override)
	$(BIN)/python -m datasaveslives build $(BUILD_ARGS)

pdf: $(STAMP) ## Build the book and its PDF (_build/datasaveslives.pdf); needs TeX: .ci/install-system-packages.sh
	$(BIN)/python -m datasaveslives build --pdf $(BUILD_ARGS)

data: $(STAMP) ## Regenerate the synthetic corpus in data/synthetic (same seed: identical bytes)
	$(BIN)/python -m datasaveslives synth

calibrate: $(STAMP) ## Check the synthetic corpus against every published figure
	$(BIN)/python -m datasaveslives calibrate

test: $(STAMP) ## Run every test: unit, notebooks (papermill) and the strict book build
	$(BIN)/python -m pytest

test-fast: $(STAMP) ## Run the unit tests only (no notebook execution, no book build)
	$(BIN)/python -m pytest -m "not book and not notebook"

fuzz: $(STAMP) ## Fuzz every reader at scale: >= 10,000 mutated real records each (FUZZ_EXAMPLES=, default 5000; tens of minutes)
	FUZZ_EXAMPLES=$(or $(FUZZ_EXAMPLES),5000) $(BIN)/python -m pytest tests/test_fuzz.py -q -p no:cacheprovider

bench: $(STAMP) ## Benchmarks against same-run baselines -> _build/bench/bench.md (QUICK=1: fewer; SCALE=10,100: also the book on the 10x and 100x corpora; HUGE=5: also one 5 GB file)
	$(BIN)/python benchmarks/bench.py $(if $(QUICK),--quick) $(if $(SCALE),--scale $(SCALE)) $(if $(HUGE),--huge $(HUGE))

# The chapters that are notebooks (MyST Markdown with a jupytext header).
CHAPTERS = $(shell grep -l '^jupytext:' book/*.md)

lint: lint-chapters ## Check style (ruff, also the chapters' code cells), the import contract and types (mypy)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

lint-chapters: $(STAMP) ## Check the chapters' code cells with ruff (as notebooks, in _build/lint)
	rm -rf _build/lint && mkdir -p _build/lint
	for f in $(CHAPTERS); do $(BIN)/jupytext --quiet --to ipynb -o _build/lint/$$(basename $$f .md).ipynb $$f; done
	$(BIN)/ruff check _build/lint/*.ipynb
	$(BIN)/ruff format --check _build/lint/*.ipynb

format: $(STAMP) ## Format the code with ruff (the package, tests, benchmarks and the chapters' code cells)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	for f in $(CHAPTERS); do \
		$(BIN)/jupytext --quiet --pipe "$(BIN)/ruff check --fix --extend-ignore E402 --exit-zero --quiet {}" $$f && \
		$(BIN)/jupytext --quiet --pipe "$(BIN)/ruff format --quiet {}" $$f || exit 1; \
	done

clean: ## Remove build products (the environment stays)
	rm -rf _build
