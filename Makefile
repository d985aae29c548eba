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
.PHONY: help env book pdf data calibrate test test-fast fuzz bench lint format clean

help: ## List the commands
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

env: $(STAMP) ## Create the virtual environment (.venv) with the pinned dependencies

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

bench: $(STAMP) ## Benchmarks against same-run baselines -> _build/bench/bench.md (QUICK=1: fewer; SCALE=100: also the 100x corpus; HUGE=5: also one 5 GB file)
	$(BIN)/python benchmarks/bench.py $(if $(QUICK),--quick) $(if $(SCALE),--scale $(SCALE)) $(if $(HUGE),--huge $(HUGE))

lint: $(STAMP) ## Check style with ruff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP) ## Format the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean: ## Remove build products (the environment stays)
	rm -rf _build
