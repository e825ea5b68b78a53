# actboard — the two commands: `make run` and `make test`.
SHELL := /bin/bash
CARGO ?= cargo
BIN := target/release/actboard
export ACTBOARD_DATABASE_URL ?= sqlite://actboard.db

.PHONY: run build frontend test test-rust test-frontend test-e2e chromium bench check-tools clean

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

## make test: install what the tests need, then run every test (Rust on SQLite, and on
## PostgreSQL when ACTBOARD_TEST_DATABASE_URL is set; then the frontend's tests)
test: check-tools test-rust test-frontend test-e2e

check-tools:
	@command -v cargo >/dev/null || { echo "cargo is required (https://rustup.rs)"; exit 1; }
	@command -v npm >/dev/null || { echo "node and npm are required"; exit 1; }
	@if [ "$$CI" = "true" ] && [ -z "$$ACTBOARD_TEST_DATABASE_URL" ]; then \
		echo "CI=true but ACTBOARD_TEST_DATABASE_URL is not set: the PostgreSQL tests would be skipped"; exit 1; fi

test-rust:
	@if $(CARGO) nextest --version >/dev/null 2>&1; then \
		$(CARGO) nextest run --locked --no-fail-fast; \
	else \
		echo "(cargo-nextest not found: using cargo test)"; \
		$(CARGO) test --locked --no-fail-fast; \
	fi

test-frontend: frontend/node_modules/.installed
	cd frontend && npm test

## Browser tests: the real server (debug build) and Debian's Chromium driven by Playwright.
test-e2e: chromium frontend
	$(CARGO) build --locked --bin actboard
	cd frontend && npm run e2e

chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
		echo "Installing Debian's chromium for the browser tests"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi
	@test -x /usr/bin/chromium || { echo "Chromium is required at /usr/bin/chromium (apt-get install chromium)"; exit 1; }

## make bench: the measurements in docs/BENCHMARKS.md (release build; takes several minutes)
bench:
	$(CARGO) build --release --locked
	./target/release/actboard-bench board --database sqlite --weeks 104 --iterations 300
	./target/release/actboard-bench board --database $${BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432/postgres} --weeks 104 --iterations 300
	./target/release/actboard-bench live --database sqlite --sockets 1000 --teams 50 --rate 200 --seconds 60
	./target/release/actboard-bench live --database sqlite --sockets 5000 --teams 50 --rate 200 --seconds 60
	./target/release/actboard-bench live --database $${BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432/postgres} --sockets 1000 --teams 50 --rate 200 --seconds 60
	./target/release/actboard-bench idle --database sqlite --sockets 5000
	./target/release/actboard-bench writes --database sqlite --writers 16 --seconds 20 --behind 1000
	./target/release/actboard-bench writes --database $${BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432/postgres} --writers 16 --seconds 20 --behind 1000

clean:
	$(CARGO) clean
	rm -rf frontend/dist frontend/node_modules
