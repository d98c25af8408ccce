# Essaim: every target builds .venv itself, from a bare Python 3.11 and the committed uv.lock.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON_DOWNLOADS := never

HTMX_VERSION := 2.0.11
HTMX_SHA256 := d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717
VENDOR := core/web/static/vendor
LOCALES := core/web/locale

.PHONY: install run test lint bench bench-quick clean messages vendor

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet "uv==$(UV_VERSION)"

## install: create or update .venv from uv.lock (nothing else)
install: $(BIN)/uv
	$(BIN)/uv sync --frozen --inexact --quiet

## run: migrate, fill the demo if the database is empty, serve on http://127.0.0.1:8000 with a worker
run: install
	$(BIN)/essaim demo
	@echo "Essaim: http://127.0.0.1:8000 (Ctrl-C stops the server and the worker)"
	@trap 'trap - INT TERM EXIT; kill 0' INT TERM EXIT; \
	$(BIN)/essaim worker & \
	$(BIN)/essaim serve --host 127.0.0.1 --port 8000

## test: the whole suite (SQLite and PostgreSQL, skipped with a message when no server answers),
## in two parts that together run every test once: core's own tests with no plugin installed
## (DESIGN: core stands without its plugins), then the plugins' tests, which run on the
## installed plugins and the real site files; then the browser tests (the real server in
## headless Chromium; skipped with a message without /usr/bin/chromium)
test: install
	$(BIN)/ruff check .
	$(BIN)/pytest tests/core tests/jobs --without-installed-plugins
	$(BIN)/pytest tests/plugins
	$(BIN)/pytest tests/browser

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## bench: every benchmark at full size; bench-quick: small size, as CI runs it
bench: install
	$(BIN)/python -m bench --size full

bench-quick: install
	$(BIN)/python -m bench --size quick

## messages: extract the pages' strings and update every catalog (then translate the new
## French entries: the tests fail on an empty one)
messages: install
	$(BIN)/pybabel extract --no-location --sort-output -F core/web/babel.cfg \
		-o $(LOCALES)/messages.pot core/web
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i $(LOCALES)/messages.pot -d $(LOCALES)

## vendor: download HTMX from the npm registry, check it, copy it to the static files
vendor:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	(cd "$$tmp" && npm pack --silent htmx.org@$(HTMX_VERSION) >/dev/null && \
	 tar xzf htmx.org-$(HTMX_VERSION).tgz) && \
	echo "$(HTMX_SHA256)  $$tmp/package/dist/htmx.min.js" | sha256sum --check --quiet && \
	cp "$$tmp/package/dist/htmx.min.js" $(VENDOR)/htmx.min.js && \
	cp "$$tmp/package/LICENSE" $(VENDOR)/htmx.LICENSE

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
