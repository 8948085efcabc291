# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
# The practice LMS and the tool share one server in development; their URLs must match what
# the browser uses, so `make run` prints exactly this one.
BASE_URL ?= http://localhost:$(PORT)

.PHONY: run test lint bench install clean screenshots messages catalogs check-catalogs

$(BIN)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: $(BIN)/.installed

run: export DEBUG ?= 1
run: export PRACTICE_LMS ?= 1
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py load_content
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@if [ "$$PRACTICE_LMS" = 1 ]; then \
	  $(PY) manage.py practice_lms setup --base-url $(BASE_URL) && echo && \
	  echo "  Practice LMS (launch the quiz as a student or instructor): $(BASE_URL)/practice-lms/"; \
	else \
	  echo && echo "  The tool alone (PRACTICE_LMS=0): register it in your LMS with $(BASE_URL)/lti/register/"; \
	fi
	@echo "  Django admin (create a user with: $(PY) manage.py createsuperuser): $(BASE_URL)/admin/"
	@echo "  Another port: make run PORT=8001 (the URLs above follow)"
	@echo
	# The web server and the grade-delivery worker run together; Ctrl-C stops both. The worker
	# sweeps for deliveries a killed worker left half-sent by itself.
	trap 'kill 0' INT TERM EXIT; \
	$(PY) manage.py db_worker --no-reload & \
	$(BIN)/gunicorn lti_quiz.wsgi --bind $(HOST):$(PORT) --workers 2 --threads 4 --access-logfile - & \
	wait

test: install
	$(PY) -m pytest -p no:cacheprovider $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 PRACTICE_LMS=1 $(BIN)/mypy lti_quiz lessons bench  # every app installed, every model known

# Translations (GNU gettext needed for these two only: `apt-get install gettext`). The compiled
# .mo files are committed, so `make run` and `make test` need no gettext; tests/project checks
# every catalog is complete and its .mo says the same as its .po.
# `make messages` adds every marked string of the code to lti_quiz/locale/{es,fr}; translate
# the new entries in the .po files, then `make catalogs` compiles them.
# The practice LMS is a separate platform with its own (English) interface: not extracted.
MESSAGES_IGNORE := --ignore '.venv/*' --ignore 'tests/*' --ignore 'bench/*' \
	--ignore 'staticfiles/*' --ignore 'lti_quiz/practice_lms/*' --ignore 'fixtures/*'
messages: export DEBUG ?= 1
messages: install
	$(PY) manage.py makemessages --locale es --locale fr --add-location file --no-obsolete \
	  $(MESSAGES_IGNORE)

catalogs: export DEBUG ?= 1
catalogs: install
	$(PY) manage.py compilemessages --locale es --locale fr --ignore '.venv' --ignore 'staticfiles'

# CI: the code has no message the catalogs lack (extracts into them, compares, restores them).
check-catalogs: install
	$(PY) -m tests.support.catalogs

# The README's screenshots (docs/screenshots/), taken in chromium through the practice LMS.
screenshots: install
	$(PY) -m pytest -p no:cacheprovider -q tests/screenshots.py

bench: export SECRET_KEY ?= bench-only-secret-key-not-for-production
bench: install
	$(PY) -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
