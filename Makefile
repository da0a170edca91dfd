# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: install run serve worker test test-all test-postgres test-browser lint format migrate seed clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo

# Serves the demo on http://127.0.0.1:$(PORT) with a background worker beside it.
run: seed
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	DEBUG=$${DEBUG:-true} SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false SESSION_COOKIE_NAME=portal-session \
	CSRF_COOKIE_NAME=portal-csrftoken SECURE_HSTS_SECONDS=0 MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN=true \
	$(BIN)/python manage.py run_portal --port $(PORT)

worker: install
	$(BIN)/python manage.py run_worker

# Quick daily suite on SQLite (browser and slow tests are run by .ci/run).
test: install
	$(BIN)/python manage.py makemigrations --check --dry-run > /dev/null || (echo "Missing migrations: run manage.py makemigrations" && exit 1)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q -n 2

test-all: install
	$(BIN)/python -m pytest -q -n 2 -m 'not browser'

test-postgres: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(BIN)/python -m pytest -q -n 2 -m 'not browser'

test-browser: install
	$(BIN)/python -m pytest -q -m browser -p no:xdist

lint: install
	$(BIN)/ruff check .

format: install
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var/*.sqlite3* var/static
