# Short names for the common tasks. `make report` and `make test` do all the set-up themselves.
VENV ?= .venv
PY := $(VENV)/bin/python
CLI := $(VENV)/bin/liyang-ip
FOCUS ?= 溧阳市
DATASET ?= demo

.PHONY: setup data report test test-fast lint bench calibration lab clean

setup:
	@bash scripts/setup.sh

data: setup
	$(CLI) data build --dataset demo --dataset public

report: data
	$(CLI) run --focus $(FOCUS) --dataset $(DATASET) --jobs 2 --pdf

test: setup
	$(PY) -m pytest -n 2 --timeout 900

test-fast: setup
	$(PY) -m pytest -n 2 -m "not notebooks and not export"

lint: setup
	$(VENV)/bin/ruff check .

bench: data calibration
	$(PY) scripts/benchmark.py
	$(PY) scripts/bench_patents.py
	$(PY) scripts/bench_data.py
	$(PY) scripts/bench_national.py
	$(PY) scripts/bench_cluster.py

calibration: setup
	$(PY) scripts/calibration.py

# JupyterLab on the project's environment: the `python3` kernel registered by setup is this .venv, the
# jupytext extension opens notebooks/NN_*.md as notebooks (set as their default viewer here).
LAB_ARGS ?= $(if $(filter 0,$(shell id -u)),--allow-root)
lab: setup
	@mkdir -p $(VENV)/share/jupyter/lab/settings
	@cp scripts/jupyterlab-overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks $(LAB_ARGS)

clean:
	rm -rf data/processed/* outputs/* .pytest_cache
	touch data/processed/.gitkeep outputs/.gitkeep
