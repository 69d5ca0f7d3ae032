# Two commands: `make run` (set up, build the corpus, execute the notebooks,
# write the figures) and `make test`. `make help` lists every target.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.bureau-rhetoric-installed
PIP := $(PY) -m pip --disable-pip-version-check --quiet

# Reproducibility: fixed hash seed (gensim, set iteration), headless plotting.
export PYTHONHASHSEED := 0
export MPLBACKEND := Agg
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.DEFAULT_GOAL := help
.PHONY: help setup corpus notebooks run test bench lock clean sync kernel lab

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; v = sys.version_info; sys.exit(0 if v >= (3, 10) else f"need Python >= 3.10, found {v.major}.{v.minor}; run e.g. make PYTHON=python3.11 ...")'
	@test -x $(PY) || (echo "creating $(VENV) with $$($(PYTHON) --version)" && $(PYTHON) -m venv $(VENV))
	$(PIP) install -r requirements.lock
	$(PIP) install --no-deps -e .
	@touch $@

setup: $(STAMP) ## create .venv (if missing) and install the pinned packages and this project
	@true

corpus: setup ## build data/processed/{corpus,audit}.parquet and build_report.html from data/raw
	$(PY) -m bureau_rhetoric build --raw data/raw --out data/processed

notebooks: corpus ## execute every notebook; executed copies + HTML in reports/notebooks, figures in figures/
	$(PY) -m bureau_rhetoric notebooks --corpus data/processed --figures figures --out reports/notebooks

run: notebooks ## the main job: setup + corpus + notebooks + figures
	@echo "done: corpus in data/processed, figures in figures/, notebooks in reports/notebooks/"

test: setup ## run the test suite (unit tests, doctests, every notebook end to end)
	$(PY) -m pytest -n 2 -q

bench: setup ## run the benchmarks and print their tables (benchmarks/*.py)
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

KERNEL_NAME := bureau-rhetoric
# ipc: the kernel talks to JupyterLab over local sockets, not unencrypted TCP
LAB_TRANSPORT := $(if $(filter Windows_NT,$(OS)),,--KernelManager.transport=ipc)

kernel: setup ## register the Jupyter kernel "bureau-rhetoric" (this environment) inside .venv
	$(PY) -m ipykernel install --sys-prefix --name $(KERNEL_NAME) \
		--display-name "Python (bureau-rhetoric)" --env PYTHONHASHSEED 0 >/dev/null
	@echo "kernel $(KERNEL_NAME) -> $(abspath $(PY)) (listed by $(VENV)/bin/jupyter kernelspec list)"

# ws_ping_interval 0: jupyter_server's ping timeout (3 intervals) makes tornado warn that it exceeds
# the interval, and a timeout of one interval makes jupyter_server drop connections; local pings add nothing
lab: kernel ## open JupyterLab on the notebooks with that kernel (NO_BROWSER=1, LAB_ARGS="--port 8899")
	env -u MPLBACKEND $(VENV)/bin/jupyter lab --ServerApp.root_dir="$(CURDIR)" \
		--LabApp.default_url=/lab/tree/notebooks $(LAB_TRANSPORT) \
		--ServerApp.tornado_settings='{"ws_ping_interval": 0}' $(if $(NO_BROWSER),--no-browser) $(LAB_ARGS)

sync: setup ## bring each notebooks/src/*.py + notebooks/*.ipynb pair in step (PREFER=script|notebook to choose)
	PREFER=$(PREFER) $(PY) -m bureau_rhetoric.notebooks sync

lock: ## re-resolve requirements.lock and environment.yml from pyproject.toml (needs uv)
	$(PY) -m pip install --quiet uv && PATH="$(abspath $(VENV))/bin:$$PATH" $(PY) scripts/lock.py

clean: ## delete generated outputs (data/processed, figures, reports) and the token/model cache; keeps .venv
	find data/processed figures reports/notebooks -mindepth 1 ! -name .gitkeep ! -name README.md -delete
	rm -rf .cache
	@if [ -x $(PY) ]; then $(PY) -m bureau_rhetoric cache --clear; fi
