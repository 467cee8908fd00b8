# Two commands on a fresh machine: `make run` and `make test` (both install into .venv first).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
PYTEST_ARGS ?=

.PHONY: run test bench soak fuzz lint clean

$(PY):
	@$(PYTHON) -m venv --help >/dev/null 2>&1 && $(PYTHON) -c 'import ensurepip' 2>/dev/null || \
	  { echo "installing python3-venv"; apt-get update -qq && apt-get install -y -qq python3-venv python3-pip; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(STAMP): requirements.txt | $(PY)
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt $(STAMP)
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

run: $(STAMP)
	$(PY) app.py

test: $(DEV_STAMP)
	$(PY) -m pytest -n auto -q $(PYTEST_ARGS)

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check --select E9,F63,F7,F82,F401,F841 --exclude .venv .

bench: $(DEV_STAMP)
	$(PY) -m bench

# Fifty kill -9 trials of tests/reliability/durability.py: prints `trials, acknowledged, lost`.
soak: $(DEV_STAMP)
	$(PY) -m tests.reliability.durability --trials 50

# Ten minutes of hypothesis-generated OCPP-J frames against a live server: prints the case count.
fuzz: $(DEV_STAMP)
	$(PY) -m tests.reliability.frame_fuzz --seconds 600

clean:
	rm -rf $(VENV) .pytest_cache
