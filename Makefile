# Two commands on a fresh machine: `make run` and `make test` (both install into .venv first).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
PYTEST_ARGS ?=

.PHONY: run test chromium bench soak fuzz lint dist clean screenshots

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

# The dashboard's browser tests drive Debian's Chromium with playwright (which never downloads a browser of its own).
CHROMIUM := /usr/bin/chromium

$(CHROMIUM):
	apt-get update -qq && apt-get install -y -qq chromium

chromium: $(CHROMIUM)

test: $(DEV_STAMP) $(CHROMIUM)
	CSMS_REQUIRE_BROWSER=1 $(PY) -m pytest -n auto -q $(PYTEST_ARGS)

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

# One file, dist/csms, holding the server, the dashboard, the CLI and the simulator (PyInstaller; rebuilt only when a
# source file changed).
DIST_SOURCES := $(shell find . \( -path ./.venv -o -path ./build -o -path ./dist -o -path ./tests -o -path ./bench \) \
  -prune -o -type f \( -name '*.py' -o -name '*.yaml' -o -name '*.html' -o -name '*.css' -o -name '*.js' \) -print)

# The dashboard's screenshots in docs/screenshots, taken by its browser tests.
screenshots: $(DEV_STAMP) $(CHROMIUM)
	CSMS_REQUIRE_BROWSER=1 CSMS_SCREENSHOTS=docs/screenshots $(PY) -m pytest -q tests/web/test_browser.py

dist: dist/csms

dist/csms: $(DIST_SOURCES) csms.spec $(DEV_STAMP)
	$(VENV)/bin/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build csms.spec

clean:
	rm -rf $(VENV) .pytest_cache
