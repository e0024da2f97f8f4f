# MPP: `make demo` serves the platform with Kukar's data; `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
export HOST PORT

.PHONY: demo test test-unit test-browser bench lint format setup setup-dev screenshots messages clean

demo: setup
	$(BIN)/mpp demo $(if $(SIMULATE),--simulate)

test: setup-dev
	.ci/ensure-chromium
	$(MAKE) test-unit
	$(MAKE) test-browser

# The browser tests run in their own pytest process: Playwright's sync API keeps an event loop
# in the main thread that would break the async websocket tests (FIELD-NOTES).
test-unit: setup-dev
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/pytest mpp -q

test-browser: setup-dev
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/pytest tests/browser -q

bench: setup-dev
	.ci/ensure-chromium
	.ci/ensure-bench-tools
	$(BIN)/python bench/catalog_bench.py
	$(BIN)/python bench/queue_bench.py
	$(BIN)/python bench/fanout_bench.py
	$(BIN)/python bench/investment_bench.py
	$(BIN)/python bench/survey_page_bench.py
	$(BIN)/python bench/survey_bench.py
	$(BIN)/python bench/metapers_bench.py
	$(BIN)/python bench/crash_bench.py

screenshots: setup-dev
	.ci/ensure-chromium
	$(BIN)/python bench/screenshots.py

lint: setup-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy mpp

format: setup-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: setup-dev
	cd mpp && ../$(BIN)/python ../manage.py makemessages -l en --ignore "regions/*" && \
	  msgfmt --check -o locale/en/LC_MESSAGES/django.mo locale/en/LC_MESSAGES/django.po

# The 3D hall's bundle (three.js + mpp/metapers/js) is a build product, not committed: esbuild
# comes from npm with three and builds it in a fraction of a second, so every `make demo` and
# `make test` serves a bundle built from the sources it runs with.
HALL_BUNDLE := mpp/metapers/static/metapers/hall.bundle.js

setup: $(VENV)/.runtime node_modules/.installed $(HALL_BUNDLE)
setup-dev: $(VENV)/.dev node_modules/.installed $(HALL_BUNDLE)

$(VENV)/.runtime: pyproject.toml
	.ci/ensure-system-packages
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.dev: pyproject.toml
	.ci/ensure-system-packages
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@ $(VENV)/.runtime

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(HALL_BUNDLE): node_modules/.installed package.json $(wildcard mpp/metapers/js/*.js)
	npm run --silent build

clean:
	rm -rf $(VENV) node_modules staticfiles $(HALL_BUNDLE) var/test-*.sqlite3*
