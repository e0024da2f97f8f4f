# MPP: `make demo` serves the platform with Kukar's data; `make test` runs the whole suite.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
export HOST PORT

.PHONY: demo test test-unit test-browser bench lint format setup setup-dev screenshots messages clean \
	dist lock production-check

demo: setup
	$(BIN)/mpp demo $(if $(SIMULATE),--simulate)

test: setup-dev
	.ci/ensure-chromium
	$(MAKE) test-unit
	$(MAKE) test-browser

# The browser tests run in their own pytest process: Playwright's sync API keeps an event loop
# in the main thread that would break the async websocket tests (FIELD-NOTES).
# The unit tests run on TEST_PROCESSES pytest-xdist workers, a test file at a time each (its
# module fixtures made once), each with its own test database and Redis database (ADR 0027);
# TEST_PROCESSES=0 runs them in this one process.
TEST_PROCESSES ?= 2
test-unit: setup-dev
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/pytest mpp -q $(if $(filter-out 0,$(TEST_PROCESSES)),-n $(TEST_PROCESSES) --dist loadfile)

test-browser: setup-dev
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/pytest tests/browser -q

bench: setup-dev
	.ci/ensure-chromium
	.ci/ensure-bench-tools
	.ci/ensure-nginx
	$(BIN)/python bench/catalog_bench.py
	$(BIN)/python bench/queue_bench.py
	$(BIN)/python bench/booking_bench.py
	$(BIN)/python bench/fanout_bench.py
	$(BIN)/python bench/investment_bench.py
	$(BIN)/python bench/survey_page_bench.py
	$(BIN)/python bench/survey_bench.py
	$(BIN)/python bench/metapers_bench.py
	$(BIN)/python bench/crash_bench.py
	$(BIN)/python bench/estimator_bench.py
	$(BIN)/python bench/production_bench.py --before 9c3344e

screenshots: setup-dev
	.ci/ensure-chromium
	$(BIN)/python bench/screenshots.py

# The production profile of deploy/ on free ports of this machine (nginx with TLS, two app
# servers, PostgreSQL, a private Redis, the job worker), checked through nginx (docs/adr/0021).
production-check: setup-dev
	.ci/ensure-nginx
	$(BIN)/python deploy/check.py

lint: setup-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy mpp
	$(BIN)/lint-imports --no-logo --no-cache

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

# htmx is copied beside our static files, so the wheel carries it (a checkout serves it from
# node_modules as well; settings.STATICFILES_DIRS).
HTMX_COPY := mpp/static/vendor/htmx/htmx.min.js

setup: $(VENV)/.runtime node_modules/.installed $(HALL_BUNDLE) $(HTMX_COPY)
setup-dev: $(VENV)/.dev node_modules/.installed $(HALL_BUNDLE) $(HTMX_COPY)

# Python packages come from the hashed locks (docs/adr/0022), the project itself without its
# dependencies: what is installed is what was locked, on every machine.
$(VENV)/.runtime: pyproject.toml requirements/runtime.txt
	.ci/ensure-system-packages
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q --require-hashes -r requirements/runtime.txt
	$(BIN)/python -m pip install -q --no-deps -e .
	touch $@

$(VENV)/.dev: pyproject.toml requirements/dev.txt
	.ci/ensure-system-packages
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q --require-hashes -r requirements/dev.txt
	$(BIN)/python -m pip install -q --no-deps -e .
	touch $@ $(VENV)/.runtime

# The locks: every package and its hashes, for any platform on Python 3.11+; the runtime lock
# with the optional extras (a deployment installs what it uses), the dev lock within it.
# Existing pins are kept; `make lock UPGRADE=1` moves them to the newest allowed versions.
UV_COMPILE = $(BIN)/uv pip compile pyproject.toml --quiet --universal --python-version 3.11 \
	--generate-hashes --custom-compile-command "make lock" $(if $(UPGRADE),--upgrade)
lock:
	test -x $(BIN)/uv || $(MAKE) setup-dev
	$(UV_COMPILE) --extra printer --extra sentry -o requirements/runtime.txt
	$(UV_COMPILE) --extra printer --extra sentry --extra dev -c requirements/runtime.txt \
	  -o requirements/dev.txt

# The wheel a production host installs with pip (docs/adr/0022): the 3D bundle and htmx built
# here, translations compiled, so the host needs neither Node.js nor npm.
dist: setup-dev
	rm -rf dist build
	$(BIN)/python -m build --outdir dist

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(HALL_BUNDLE): node_modules/.installed package.json $(wildcard mpp/metapers/js/*.js)
	npm run --silent build

$(HTMX_COPY): node_modules/.installed
	mkdir -p $(dir $@)
	cp node_modules/htmx.org/dist/htmx.min.js $@

clean:
	rm -rf $(VENV) node_modules staticfiles $(HALL_BUNDLE) $(HTMX_COPY) dist build \
	  var/test-*.sqlite3*
