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

.PHONY: run test lint bench install clean

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
	$(PY) manage.py practice_lms setup --base-url $(BASE_URL)
	@echo
	@echo "  Practice LMS (launch the quiz as a student or instructor): $(BASE_URL)/practice-lms/"
	@echo "  Django admin (create a user with: $(PY) manage.py createsuperuser): $(BASE_URL)/admin/"
	@echo
	# The web server and the grade-delivery worker run together; Ctrl-C stops both.
	trap 'kill 0' INT TERM EXIT; \
	$(PY) manage.py grades_resume; \
	$(PY) manage.py db_worker --no-reload & \
	$(BIN)/gunicorn lti_quiz.wsgi --bind $(HOST):$(PORT) --workers 2 --threads 4 --access-logfile - & \
	wait

test: install
	$(PY) -m pytest -p no:cacheprovider $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	PRACTICE_LMS=1 $(BIN)/mypy lti_quiz lessons  # every app installed, so every model is known

bench: install
	$(PY) -m tests.bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
