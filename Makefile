# Passerelle — the two commands a newcomer needs are `make dev` and `make test`.
# Both install what is missing, start the project-local PostgreSQL and Redis
# (under .data/, unless DATABASE_URL / REDIS_URL point elsewhere) and go.

SHELL := /bin/bash
.DEFAULT_GOAL := help

.PHONY: help dev test build stop setup lint fmt e2e bench bench-catalogue lighthouse sqlx-prepare

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

dev: ## Site with demo data and live reload at http://localhost:3000
	@scripts/dev.sh

test: ## Every test: lint, unit, database, HTTP and browser
	@scripts/test.sh

build: ## Release binary and site (target dir in ~/.cache/passerelle)
	@scripts/setup.sh && source scripts/lib.sh && cargo leptos build --release --split --precompress

stop: ## Stop the local PostgreSQL and Redis
	@scripts/services.sh stop

setup: ## Install the tools only
	@scripts/setup.sh browser

lint: ## cargo fmt --check and clippy -D warnings (server and browser code)
	@scripts/test.sh lint

fmt: ## Format the code
	@cargo fmt --all

e2e: ## Browser tests only (Playwright + Chromium)
	@scripts/test.sh e2e

.PHONY: deploy-check
deploy-check: ## Render the Kubernetes overlays (deploy/) and validate every object, offline
	@scripts/setup.sh ops && scripts/deploy-check.sh

.PHONY: monitoring-check
monitoring-check: ## Alert rules (promtool check + unit tests) and the Grafana dashboard (deploy/monitoring/); URL=…/metrics also compares metric names
	@scripts/setup.sh ops && scripts/monitoring-check.sh $(URL) $(TOKEN)

bench: ## Load test of the release binary (see bench/README.md)
	@bench/run.sh

bench-catalogue: ## Catalogue search on 20,000 trainings, with EXPLAIN (see bench/README.md)
	@bench/catalogue.sh

.PHONY: bench-jobs
bench-jobs: ## Job board on 100,000 offers: search, offer page, bridge, with EXPLAIN (see bench/README.md)
	@bench/jobs.sh

.PHONY: bench-audience
bench-audience: ## What counting the audience costs an offer page: counting on and off (see bench/README.md)
	@bench/audience.sh

.PHONY: bench-public
bench-public: ## Every public page at 10,000 and 100,000 offers, searches at 1,000,000: req/s, p99 at a constant rate, cache hits, RSS
	@bench/public.sh

.PHONY: bench-bundle
bench-bundle: ## Brotli size of the WebAssembly + JS each route group downloads (split release build)
	@bench/bundle.sh

.PHONY: bench-robustness
bench-robustness: ## Aborted renders (memory, tasks), idle sockets and slow headers against the release binary
	@bench/robustness.sh

.PHONY: scale-test
scale-test: ## 3 replicas behind HAProxy, PostgreSQL replica, 2 workers: rolling restart, SIGKILL, Redis restart under load (see bench/README.md)
	@scripts/scale-test.sh

lighthouse: ## Lighthouse scores (mobile) of /, /blog, an article, /formations, a training, /offres and an offer
	@bench/lighthouse.sh

sqlx-prepare: ## Refresh .sqlx/ after changing a query or a migration
	@scripts/sqlx-prepare.sh
