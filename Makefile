# Two commands do everything on a fresh Debian machine with python3 >= 3.11:
#   make run   – create .venv, install, migrate, load the programme, serve on 127.0.0.1:8000
#                with one task worker beside the server (both stop on Ctrl+C)
#   make test  – install what the tests need and run the whole suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint bench install system-packages test-system-packages clean messages backup restore

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

system-packages:
	@bash scripts/ensure-system-packages

test-system-packages:
	@bash scripts/ensure-system-packages --tests

# A local run: DEBUG on, SQLite unless DATABASE_URL is set. The settings read .env, so
# every manage.py command afterwards (e.g. create_staff_user) runs with the same defaults.
run: install system-packages .env
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_programme_content
	$(BIN)/python manage.py ensure_admin
	$(BIN)/python manage.py check_renders
	bash scripts/serve $(BIN)/python $(HOST):$(PORT)

# Local defaults, written once and then yours to edit (a variable set in the environment wins).
.env:
	printf '%s\n' '# Local development settings, read by flemingsberg/settings.py (see README).' 'DEBUG=1' > $@

test: install test-system-packages
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

# Speed figures (not tests): prints a table; see README for the latest one.
bench: install system-packages
	$(BIN)/python -m benchmarks.run

# After changing UI strings: update the catalogues, translate locale/sv, then compile.
# msgmerge's guesses ("fuzzy") are emptied, so a new text shows up as untranslated (the
# catalogue test names it) instead of carrying a neighbour's translation.
messages: install
	DEBUG=1 $(BIN)/python manage.py makemessages -l sv -l en --ignore=.venv --ignore=staticfiles --ignore=tests --no-location
	for po in locale/*/LC_MESSAGES/django.po; do msgattrib --clear-fuzzy --empty --no-obsolete -o $$po $$po; done
	DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv

# Backups (PostgreSQL; see README, Backups): a pg_dump -Fc file with its .sha256 in BACKUP_DIR,
# and a restore of FILE into the new database TARGET (never into an existing one).
BACKUP_DIR ?= backups
backup: install
	$(BIN)/python manage.py backup_database --output $(BACKUP_DIR)

restore: install
	@test -n "$(FILE)" -a -n "$(TARGET)" || { echo "usage: make restore FILE=backups/….dump TARGET=new_database_name"; exit 2; }
	$(BIN)/python manage.py restore_database $(FILE) $(TARGET)
