# Every target sets itself up: a fresh machine needs only python3 (3.11+) and make, and for
# `make run`, `make test`, `make typecheck`, `make web` and `make clients` Node 20.19+ with npm
# (and for the backoffice's browser tests in `make test`, Debian's chromium: .ci/run installs it).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
UV_VERSION := 0.13.9

.PHONY: run test migrate lint format typecheck bench lock rbac-docs demo clean web clients \
	clients-check spec-diff backoffice pos screenshots

$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet uv==$(UV_VERSION)
	$(BIN)/uv pip install --quiet --python $(BIN)/python --require-hashes -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@

## Start the whole platform for development (embedded Postgres unless DATABASE_URL is set, demo
## tenants, the fake Stripe). Ctrl-C stops it. Production runs `halopos run` without the flag.
run: $(VENV)/.installed backoffice pos
	$(BIN)/halopos run --development

## Run the test suite against a real Postgres (embedded unless DATABASE_URL is set).
test: $(VENV)/.installed web/node_modules/.installed backoffice pos
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## The web apps' screenshots in docs/backoffice/ and docs/pos-client/, taken by their browser
## tests (a plain `make test` keeps them in a temporary folder).
screenshots: $(VENV)/.installed web/node_modules/.installed backoffice pos
	HALOPOS_SCREENSHOTS=$(CURDIR)/docs/backoffice $(BIN)/python -m pytest -q tests/backoffice
	HALOPOS_SCREENSHOTS=$(CURDIR)/docs/pos-client $(BIN)/python -m pytest -q tests/pos

## Apply migrations, roles and grants to the database named by DATABASE_URL (admin connection).
migrate: $(VENV)/.installed
	$(BIN)/halopos migrate

## Ruff, and the import contracts in pyproject.toml (services apart, libs in layers, no cycles).
lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache --no-logo

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## mypy (strict) over the Python, and tsc over web/ (the API's types, the backoffice and the till).
typecheck: $(VENV)/.installed web/node_modules/.installed
	$(BIN)/mypy
	cd web && node_modules/.bin/tsc --noEmit

## Order writes (gateway vs direct vs raw asyncpg, one business vs 100), audit append cost,
## close-to-printed receipt latency through the Bridge agent, offline sync, reports; writes
## bench/results/. The order benches also count statements and profile (py-spy), and keep each
## run under a label (LABEL, default after) beside the others; the "before" run measures another
## checkout: python -m bench.orders --profile --code <checkout> --label before (same for sync).
BENCH_RUN := --profile $(if $(LABEL),--label $(LABEL))
bench: $(VENV)/.installed
	$(BIN)/python -m bench.orders $(BENCH_RUN)
	$(BIN)/python -m bench.audit
	$(BIN)/python -m bench.printing
	$(BIN)/python -m bench.sync $(BENCH_RUN)
	$(BIN)/python -m bench.reports

## Regenerate docs/rbac.md from libs/rbac (a test fails when it is stale).
rbac-docs: $(VENV)/.installed
	$(BIN)/python -m libs.rbac.docs > docs/rbac.md

## The demo path against a running `make run` (another terminal): make demo TENANT=eu
demo: $(VENV)/.installed
	$(BIN)/halopos demo --tenant $(or $(TENANT),au)

## The web apps' tools (openapi-typescript, TypeScript), exactly as web/package-lock.json pins
## them; skipped while node_modules is newer than both files. Needs Node 20+ and npm.
web: web/node_modules/.installed
web/node_modules/.installed: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	touch $@

## The backoffice (web/backoffice/), built into web/backoffice/dist/ for the gateway to serve at
## /backoffice/; rebuilt when a source file, the API's types or the tools change.
backoffice: web/backoffice/dist/index.html
web/backoffice/dist/index.html: web/node_modules/.installed web/api/schema.d.ts \
		$(shell find web/backoffice -path web/backoffice/dist -prune -o -type f -print) \
		$(shell find web/shared -type f)
	cd web && npm run --silent build:backoffice

## The till (web/pos/), built into web/pos/dist/ for the gateway to serve at /pos/, with its
## service worker (dist/sw.js) listing the build's files; rebuilt like the backoffice.
pos: web/pos/dist/index.html
web/pos/dist/index.html: web/node_modules/.installed web/api/schema.d.ts \
		$(shell find web/pos -path web/pos/dist -prune -o -type f -print) \
		$(shell find web/shared -type f)
	cd web && npm run --silent build:pos

## The served OpenAPI document into clients/openapi.json, and the official clients generated
## from it: clients/halopos_client/ (Python) and web/api/schema.d.ts (TypeScript). A test fails
## while any of them is stale (clients/README.md).
clients: $(VENV)/.installed web/node_modules/.installed
	$(BIN)/python -m tools.clients write

## What the test checks, alone: regenerate into a temporary folder, fail on a diff or a warning.
clients-check: $(VENV)/.installed web/node_modules/.installed
	$(BIN)/python -m tools.clients check

## The breaking changes since the last released spec (clients/released/); a test fails on one
## not acknowledged in clients/released/breaking-changes.txt.
spec-diff: $(VENV)/.installed
	$(BIN)/python -m tools.spec_diff

## Regenerate requirements.lock from pyproject.toml (pinned, with hashes).
lock: $(VENV)/.installed
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 \
		--no-header --quiet -o requirements.lock

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache web/node_modules
