# The two commands of the README: `make run` and `make test`.
.PHONY: run test setup lint format bench bench-scale bench-pages bench-jobs

PORT ?= 8000

setup:
	@scripts/setup

## Serve the app on http://127.0.0.1:8000 with SQLite and the demo data (logins printed on start), background
## jobs included (in the server's process on SQLite, a worker beside it on PostgreSQL).
run: setup
	.venv/bin/python manage.py migrate --noinput
	.venv/bin/python manage.py load_demo
	scripts/dev_server $(PORT)

## The whole suite: Django checks, migrations up to date, ruff, unit, view, access and browser tests.
## DATABASE_URL=postgres://… runs it against PostgreSQL instead of SQLite.
test: setup
	.venv/bin/pytest -n 2 --create-db

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

format:
	.venv/bin/ruff check --fix . && .venv/bin/ruff format .

## Benchmarks (run on demand, not part of the tests): they print their figures.
bench: setup
	.venv/bin/python bench/pdf
	.venv/bin/python bench/tracking

## National scale (issue 13), on PostgreSQL: generate 1 % and full-size data (dropped and recreated), then time
## every page kind under gunicorn at both sizes. `make bench-pages` re-times pages on data already generated.
SCALE_FULL ?= postgres://postgres@127.0.0.1:5432/ctg_scale
SCALE_SMALL ?= postgres://postgres@127.0.0.1:5432/ctg_scale_small
BENCH_PORT ?= 8301

bench-scale: setup
	DATABASE_URL=$(SCALE_SMALL) .venv/bin/python bench/scale --size 0.01 --recreate
	DATABASE_URL=$(SCALE_FULL) .venv/bin/python bench/scale --size 1.0 --recreate
	.venv/bin/python bench/pages --full $(SCALE_FULL) --small $(SCALE_SMALL) --port $(BENCH_PORT)

bench-pages: setup
	.venv/bin/python bench/pages --full $(SCALE_FULL) --small $(SCALE_SMALL) --port $(BENCH_PORT)

## Background jobs under load (issue 10), on PostgreSQL: 2 gunicorn, 2 workers, 20 convention PDFs at once, one worker
## killed mid-run. Drops and recreates JOBS_BENCH_DB.
JOBS_BENCH_DB ?= postgres://postgres@127.0.0.1:5432/ctg_docs_bench
JOBS_BENCH_PORT ?= 8501

bench-jobs: setup
	.venv/bin/python bench/jobs --database $(JOBS_BENCH_DB) --port $(JOBS_BENCH_PORT)
