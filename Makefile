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

.PHONY: run serve spike test lint bench bench-course demo-large install clean screenshots messages catalogs check-catalogs

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

# The production process layout on one machine (docs/operations.md): WEB_WORKERS gunicorn
# workers of WEB_THREADS threads, GRADE_WORKERS grade workers of GRADE_WORKER_THREADS threads
# (settings, default 4: a send waits on the platform), DEBUG=0, JSON logs, metrics summed
# across processes. PostgreSQL and Redis come from DATABASE_URL and REDIS_URL (and SECRET_KEY,
# ALLOWED_HOSTS... from the environment, as .env.example lists). Ctrl-C stops every process.
WEB_WORKERS ?= 2
WEB_THREADS ?= 4
GRADE_WORKERS ?= 1
# Seconds a client's idle connection stays open: above a proxy's idle timeout, and long enough
# that a busy worker does not close a connection a client has just sent its next request on.
WEB_KEEPALIVE ?= 30
serve: export DEBUG := 0
serve: export LOG_FORMAT ?= json
serve: export LOG_REQUESTS ?= 1
serve: install
	@test -n "$$DATABASE_URL" || { echo "make serve: set DATABASE_URL (postgres://...)"; exit 2; }
	@test -n "$$REDIS_URL" || { echo "make serve: set REDIS_URL (redis://host:6379/0)"; exit 2; }
	@test -n "$$SECRET_KEY" || { echo "make serve: set SECRET_KEY"; exit 2; }
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	# prometheus_client's multiprocess mode: every process writes its figures to files in this
	# folder, emptied at each start; a scrape of any worker sums them.
	export PROMETHEUS_MULTIPROC_DIR=$$(mktemp -d -t lti-quiz-metrics-XXXXXX); pids=; \
	for n in $$(seq $(GRADE_WORKERS)); do $(PY) manage.py db_worker --no-reload & pids="$$pids $$!"; done; \
	$(BIN)/gunicorn lti_quiz.wsgi --bind $(HOST):$(PORT) --workers $(WEB_WORKERS) \
	  --threads $(WEB_THREADS) --keep-alive $(WEB_KEEPALIVE) --graceful-timeout 10 & pids="$$pids $$!"; \
	trap 'trap - INT TERM EXIT; kill $$pids 2>/dev/null; wait; rm -rf "$$PROMETHEUS_MULTIPROC_DIR"' \
	  INT TERM EXIT; \
	wait

# The exam spike (docs/operations.md): the production layout on a database of its own, and
# Locust (headless) as SPIKE_STUDENTS students launching, answering and submitting within
# SPIKE_SECONDS; prints errors, p50/p95 per request, grade delay, exactly-once, token requests.
SPIKE_STUDENTS ?= 1000
SPIKE_SECONDS ?= 60
spike: export SECRET_KEY ?= spike-only-secret-key-not-for-production
spike: export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
spike: export REDIS_URL ?= redis://127.0.0.1:6379/0
spike: install
	$(PY) -m loadtest --students $(SPIKE_STUDENTS) --seconds $(SPIKE_SECONDS) \
	  --web-workers $(WEB_WORKERS) --web-threads $(WEB_THREADS) --grade-workers $(GRADE_WORKERS) \
	  $(SPIKE_ARGS)

test: install
	$(PY) -m pytest -p no:cacheprovider $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 PRACTICE_LMS=1 $(BIN)/mypy lti_quiz lessons bench loadtest  # every app installed, every model known

# Translations (GNU gettext needed for these two only: `apt-get install gettext`). The compiled
# .mo files are committed, so `make run` and `make test` need no gettext; tests/project checks
# every catalog is complete and its .mo says the same as its .po.
# `make messages` adds every marked string of the code to lti_quiz/locale/{es,fr}; translate
# the new entries in the .po files, then `make catalogs` compiles them.
# The practice LMS is a separate platform with its own (English) interface: not extracted.
MESSAGES_IGNORE := --ignore '.venv/*' --ignore 'tests/*' --ignore 'bench/*' --ignore 'loadtest/*' \
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

# A course of 1,000 learners (bench/course.py): `bench-course` on a database of its own, timing
# the instructor's Results page, its CSV and the item analysis; `demo-large` seeds the course of
# a running `make run` (BASE_URL) so an instructor can look at it in the practice LMS.
LEARNERS ?= 1000
bench-course: export SECRET_KEY ?= bench-only-secret-key-not-for-production
bench-course: install
	$(PY) -m bench.course --learners $(LEARNERS)

demo-large: export DEBUG ?= 1
demo-large: export PRACTICE_LMS ?= 1
demo-large: install
	$(PY) -m bench.course --learners $(LEARNERS) --base-url $(BASE_URL)

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
