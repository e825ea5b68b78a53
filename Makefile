# actboard — the two commands: `make run` and `make test`.
SHELL := /bin/bash
CARGO ?= cargo
BIN := target/release/actboard
export ACTBOARD_DATABASE_URL ?= sqlite://actboard.db

.PHONY: bench-import openapi-json run build frontend test test-gates test-rust test-frontend test-e2e test-fuzz test-ops ops-tools docs-e2e chromium bench check-tools clean api-types

## make run: build everything, migrate, load the demo into an empty database, serve on 127.0.0.1:8080
run: build
	$(BIN) migrate
	$(BIN) demo
	@echo
	@echo "  Open http://$${ACTBOARD_BIND:-127.0.0.1:8080}/ and sign in, e.g. maria.lopez / actboard-demo (Riverside ACT lead)."
	@echo
	$(BIN) serve

## make build: the web app, then the release binary that embeds it
build: frontend
	$(CARGO) build --release --locked

frontend: frontend/node_modules/.installed
	cd frontend && npm run build

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	touch $@

## make test: install what the tests need, then the gates, then every test (Rust on SQLite,
## and on PostgreSQL when ACTBOARD_TEST_DATABASE_URL is set; then the frontend's tests)
test: check-tools test-gates test-ops test-rust test-frontend test-e2e test-fuzz

## The server's OpenAPI document, from the debug binary (`actboard openapi`).
OPENAPI_JSON := target/openapi.json
API_TYPES := frontend/src/lib/api-types.ts
CHECK_VENV := target/check-venv

$(CHECK_VENV)/.installed: fuzz/validator-requirements.txt
	python3 -m venv $(CHECK_VENV)
	$(CHECK_VENV)/bin/pip install --quiet --disable-pip-version-check -r fuzz/validator-requirements.txt
	touch $@

openapi-json:
	$(CARGO) build --locked --bin actboard
	./target/debug/actboard openapi > $(OPENAPI_JSON)

## make api-types: regenerate the frontend's API, event and live-frame types from the server's
## OpenAPI document (openapi-typescript, pinned in frontend/package.json). Commit the result.
api-types: openapi-json frontend/node_modules/.installed
	cd frontend && node_modules/.bin/openapi-typescript ../$(OPENAPI_JSON) -o ../$(API_TYPES)

## Gates: formatting, lints, a valid OpenAPI document, generated types that are not stale, and
## the TypeScript check.
test-gates: openapi-json frontend/node_modules/.installed $(CHECK_VENV)/.installed
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings
	$(CHECK_VENV)/bin/openapi-spec-validator $(OPENAPI_JSON)
	cd frontend && node_modules/.bin/openapi-typescript ../$(OPENAPI_JSON) -o ../target/api-types.check.ts
	@diff -u $(API_TYPES) target/api-types.check.ts || { echo "$(API_TYPES) is stale: run make api-types and commit it"; exit 1; }
	cd frontend && node_modules/.bin/tsc -b

check-tools:
	@command -v cargo >/dev/null || { echo "cargo is required (https://rustup.rs)"; exit 1; }
	@command -v npm >/dev/null || { echo "node and npm are required"; exit 1; }
	@command -v python3 >/dev/null || { echo "python3 (with venv) is required for the API fuzzing"; exit 1; }
	@if [ -n "$$ACTBOARD_TEST_DATABASE_URL" ]; then command -v psql >/dev/null || { echo "psql is required for the PostgreSQL fuzzing run"; exit 1; }; fi
	@if [ "$$CI" = "true" ] && [ -z "$$ACTBOARD_TEST_DATABASE_URL" ]; then \
		echo "CI=true but ACTBOARD_TEST_DATABASE_URL is not set: the PostgreSQL tests would be skipped"; exit 1; fi

## The whole workspace: the server's tests, and the bench package compiled (and its tests, if any).
test-rust:
	@if $(CARGO) nextest --version >/dev/null 2>&1; then \
		$(CARGO) nextest run --workspace --locked --no-fail-fast; \
	else \
		echo "(cargo-nextest not found: using cargo test)"; \
		$(CARGO) test --workspace --locked --no-fail-fast; \
	fi

test-frontend: frontend/node_modules/.installed
	cd frontend && npm test

## Browser tests: the real server (debug build) and Debian's Chromium driven by Playwright.
test-e2e: chromium frontend
	$(CARGO) build --locked --bin actboard
	cd frontend && npm run e2e

## The browser tests again, keeping their screenshots and first-paint timings in docs/ (a plain
## test run writes them to target/e2e/ so it leaves the checkout clean).
docs-e2e:
	ACTBOARD_UPDATE_DOCS=1 $(MAKE) test-e2e

## API fuzzing: schemathesis (pinned in fuzz/requirements.txt, installed into a local
## virtualenv) against /api/openapi.json of a real server, ~75 s per engine.
FUZZ_VENV := target/fuzz-venv
FUZZ_SECONDS ?= 75

$(FUZZ_VENV)/.installed: fuzz/requirements.txt
	python3 -m venv $(FUZZ_VENV)
	$(FUZZ_VENV)/bin/pip install --quiet --disable-pip-version-check -r fuzz/requirements.txt
	touch $@

test-fuzz: $(FUZZ_VENV)/.installed
	$(CARGO) build --locked --bin actboard
	$(FUZZ_VENV)/bin/python fuzz/run.py --max-time $(FUZZ_SECONDS) --seed 1
	@if [ -n "$$ACTBOARD_TEST_DATABASE_URL" ]; then \
		$(FUZZ_VENV)/bin/python fuzz/run.py --max-time $(FUZZ_SECONDS) --seed 1 --postgres "$$ACTBOARD_TEST_DATABASE_URL"; \
	fi

## The operator files in docs/ops checked by the tools that read them: systemd-analyze verify
## on the unit, nginx -t on the proxy example, promtool on the alert rules (and their unit
## tests) and on the dashboard's queries. A tool that cannot be had is skipped with a message.
test-ops: ops-tools
	$(CARGO) build --locked --bin actboard
	./docs/ops/check.sh

## nginx and promtool from Debian when missing (as root, or with sudo), like chromium below.
ops-tools:
	@if ! command -v nginx >/dev/null || ! command -v promtool >/dev/null; then \
		if command -v apt-get >/dev/null; then \
			echo "Installing Debian's nginx-light and prometheus (promtool) for make test-ops"; \
			SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
			$$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light prometheus >/dev/null \
				|| echo "(could not install them: those checks are skipped)"; \
		fi; \
	fi

chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
		echo "Installing Debian's chromium for the browser tests"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi
	@test -x /usr/bin/chromium || { echo "Chromium is required at /usr/bin/chromium (apt-get install chromium)"; exit 1; }

## make bench: the standard round (release build; about 20 minutes): board snapshot, live delivery
## at 1,000, 5,000 and 10,000 sockets on SQLite and PostgreSQL beside a bare Node `ws` relay (the
## baseline, installed from npm), idle memory per socket, contact writes and replay; rewrites
## docs/BENCHMARKS.md. BENCH_POSTGRES names the PostgreSQL server to create bench databases on.
## The load generator is the workspace's second package (bench/, package actboard-bench), so the
## server it measures is the same release binary `make build` makes, without the bench's clients.
BENCH_POSTGRES ?= postgres://postgres@127.0.0.1:5432/postgres

bench: frontend bench/baseline/node_modules/.installed
	$(CARGO) build --release --locked
	$(CARGO) build --release --locked -p actboard-bench
	./target/release/actboard-bench report --postgres $(BENCH_POSTGRES) --out docs/BENCHMARKS.md

## make bench-import: 10,000 generated clients imported from CSV into a new ICM team on SQLite
## and PostgreSQL (release build): the dry-run, import and second-import times
## (docs/BENCHMARKS.md, "CSV import").
bench-import:
	$(CARGO) build --release --locked -p actboard-bench
	./target/release/actboard-bench import --rows 10000 --postgres $(BENCH_POSTGRES)

bench/baseline/node_modules/.installed: bench/baseline/package.json bench/baseline/package-lock.json
	npm ci --prefix bench/baseline --no-audit --no-fund
	touch $@

clean:
	$(CARGO) clean
	rm -rf frontend/dist frontend/node_modules bench/baseline/node_modules
