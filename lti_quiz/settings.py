"""One settings module: every value comes from the environment, with a safe development default.

Every variable is listed in `.env.example` and in the README.
"""

import ipaddress
import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

# Settings fail closed: a value that cannot be read stops start-up naming the variable, rather
# than quietly becoming a default (a typo in HTTPS=ture must not mean "no HTTPS").
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off", "")


def _malformed(name: str, value: str, expected: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"Environment variable {name}={value!r} is not {expected}.")


def envbool(name: str, default: str = "0") -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value not in _TRUE + _FALSE:
        raise _malformed(name, value, "a boolean (1/0, true/false, yes/no, on/off)")
    return value in _TRUE


def envint(name: str, default: str) -> int:
    value = os.environ.get(name, default).strip()
    try:
        return int(value)
    except ValueError:
        raise _malformed(name, value, "a whole number") from None


def envfloat(name: str, default: str) -> float:
    value = os.environ.get(name, default).strip()
    try:
        number = float(value)
    except ValueError:
        raise _malformed(name, value, "a number") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise _malformed(name, value, "a finite number")
    return number


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it to a long random value in production "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or DEBUG=1 on a developer's machine."
        )
    SECRET_KEY = "django-insecure-development-key-change-me"
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Before django_tasks_db: its `db_worker` command is extended by the grades app's own
    # (the worker also sweeps for stranded grade deliveries), and the first app listed wins.
    "lti_quiz.grades",
    "django_tasks",
    "django_tasks_db",
    "lessons",
    "lti_quiz.quiz",
    "lti_quiz.lti",
    "lti_quiz.activity",
    "lti_quiz.api",
]

# The practice LMS is a separate LTI platform for demos and end-to-end tests. It is mounted
# only when asked for (`make run` and the tests do); a system check warns if it is on in production.
PRACTICE_LMS = envbool("PRACTICE_LMS")
if PRACTICE_LMS:
    INSTALLED_APPS.append("lti_quiz.practice_lms")

MIDDLEWARE = [
    # First: every log line of a request carries its id, and the timing covers the whole chain.
    "lti_quiz.lib.request_id.RequestIdMiddleware",
    "lti_quiz.lib.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Accept-Language for every page; then a launch's own locale for the pages under a launch.
    "django.middleware.locale.LocaleMiddleware",
    "lti_quiz.lti.middleware.LaunchLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "lti_quiz.urls"
WSGI_APPLICATION = "lti_quiz.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "lti_quiz" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # `{% load local_time %}`: a time shown to a person, in their zone and labelled.
            "libraries": {"local_time": "lti_quiz.lib.local_time"},
        },
    },
]

# Database: SQLite file by default (no server to install), PostgreSQL in production.
DATABASES = {"default": dj_database_url.config(default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# Opening a connection per request costs ~5 ms on PostgreSQL and a fifth of a launch on SQLite
# (a new file handle, the pragmas below run again; docs/performance.md): keep them, checked
# before reuse.
DATABASES["default"]["CONN_MAX_AGE"] = envint("DB_CONN_MAX_AGE", "60")
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and envbool(
    "DB_PREPARED_STATEMENTS", "1"
):
    # Parameters bound by the server, and a query prepared once a connection has run it five
    # times: PostgreSQL then stops parsing and planning it on every request (0.15 -> 0.05 ms of
    # database CPU per query, docs/performance.md). Django leaves both off for the sake of
    # poolers: set DB_PREPARED_STATEMENTS=0 behind one that cannot keep prepared statements
    # (PgBouncer in transaction mode before 1.21).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=5
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock up front: deferred ones fail with "database is
    # locked" under concurrency, and the database cache swallows that error and loses nonces
    # (measured: 6% of concurrent launches, docs/platforms.md).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        # Run by Django once per new connection (kept for DB_CONN_MAX_AGE), not per request.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not :memory:, so the grade worker started by a test sees the same database.
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get("SQLITE_TEST_NAME", str(BASE_DIR / ".test-db.sqlite3"))
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: holds OIDC state and nonces, launch contexts, platform keys and access tokens. It must be
# shared by every process (never per-process LocMem): Redis when REDIS_URL is set, otherwise
# the database. The Redis backend is Django's with one client for every thread of a process
# and a one-command pop for single-use entries (lib/redis_cache.py).
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "lti_quiz.lib.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "lti-quiz"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "lti_quiz_cache",
            # Culling removes entries at random: an in-flight nonce must not be one of them.
            "OPTIONS": {"MAX_ENTRIES": 1_000_000, "CULL_FREQUENCY": 10},
        }
    }

# Background work (grade delivery) runs in `manage.py db_worker` processes.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The languages the tool ships catalogs for (lti_quiz/locale, `make messages` / `make catalogs`);
# a launch or a browser asking for another one gets English.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "lti_quiz" / "locale"]
# Times are stored in UTC and shown in the launch's zone when it names one (lti/languages.py).
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "lti_quiz" / "static"]
# Question media (quiz.MediaFile) go to the default storage: files under MEDIA_ROOT, or an
# S3-compatible store through django-storages (docs/rich-content.md).
MEDIA_ROOT = os.environ.get("MEDIA_ROOT", str(BASE_DIR / "media"))
QUIZ_MEDIA_MAX_BYTES = int(os.environ.get("QUIZ_MEDIA_MAX_BYTES", str(10 * 1024 * 1024)))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# HTTPS. Behind a proxy that terminates TLS, set SECURE_PROXY_SSL_HEADER=1 so Django knows the
# request was secure (cookies then get `Secure`, which `SameSite=None` requires).
if envbool("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
HTTPS = envbool("HTTPS")
SECURE_SSL_REDIRECT = HTTPS and envbool("SECURE_SSL_REDIRECT", "1")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "0")
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD")
# The string "None", not Python None: the tool lives in the LMS's iframe, a third-party context.
# Browsers only accept SameSite=None with Secure, so on plain HTTP (development) stay Lax.
SESSION_COOKIE_SAMESITE = "None" if HTTPS else "Lax"
CSRF_COOKIE_SAMESITE = "None" if HTTPS else "Lax"

# LTI
LTI_LAUNCH_LIFETIME = envint("LTI_LAUNCH_LIFETIME", str(8 * 3600))  # seconds a launch stays usable
LTI_CLOCK_LEEWAY = envint("LTI_CLOCK_LEEWAY", "60")  # seconds of platform clock skew tolerated
LTI_JWKS_CACHE_SECONDS = envint("LTI_JWKS_CACHE_SECONDS", "3600")
LTI_KEY_GRACE_DAYS = envint("LTI_KEY_GRACE_DAYS", "7")  # retired tool keys stay published
HTTP_TIMEOUT = envfloat("HTTP_TIMEOUT", "10")
# Dynamic registration: a platform that registers itself waits for an admin to switch it on,
# unless this is set (a private deployment that trusts every LMS able to reach it).
LTI_AUTO_ACTIVATE_REGISTRATIONS = envbool("LTI_AUTO_ACTIVATE_REGISTRATIONS")

# Grade delivery
GRADES_MAX_ATTEMPTS = envint("GRADES_MAX_ATTEMPTS", "8")
GRADES_RETRY_BASE_SECONDS = envfloat("GRADES_RETRY_BASE_SECONDS", "5")
# How many tasks one `manage.py db_worker` process runs at once (threads; its --threads).
GRADE_WORKER_THREADS = envint("GRADE_WORKER_THREADS", "4")
# Every worker looks for deliveries stranded by a dead worker this often (one at a time).
GRADES_SWEEP_SECONDS = envfloat("GRADES_SWEEP_SECONDS", "20")
# What every worker runs each GRADES_SWEEP_SECONDS, and once at its start (each takes its own
# lock, so one worker at a time): stranded grade deliveries queued again, timed attempts whose
# learner never came back submitted from their saved answers, and the platforms' key sets
# fetched before they expire. Named here, not imported by the worker, because the worker belongs
# to grades and closing an attempt belongs to the activity that joins quiz and grades.
WORKER_SWEEPS = [
    "lti_quiz.grades.sweep.grade_deliveries_sweep",
    "lti_quiz.activity.standing.overdue_attempts_sweep",
    "lti_quiz.lti.platform_keys.key_sets_refresh_sweep",
]

# Timed attempts: a final submit that arrives this long after the deadline still counts (the
# page posts itself at zero; the network takes a moment). Later, only answers saved by then count.
QUIZ_DEADLINE_GRACE_SECONDS = envint("QUIZ_DEADLINE_GRACE_SECONDS", "30")

# The question-bank API (/api/v1/): staff or the "question bank editor" group, token or session.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["lti_quiz.api.permissions.IsQuestionBankEditor"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": envint("API_PAGE_SIZE", "50"),
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "lti_quiz.api.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"writes": os.environ.get("API_WRITE_THROTTLE", "120/minute")},
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
API_IMPORT_MAX_QUESTIONS = envint("API_IMPORT_MAX_QUESTIONS", "5000")  # per import file
SPECTACULAR_SETTINGS = {
    "TITLE": "lti-quiz question-bank API",
    "DESCRIPTION": "Lessons, question banks, questions and quizzes of the lti-quiz LTI tool.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Prometheus metrics at /metrics (lib/metrics.py): off (404) unless a bearer token or the
# scraper's addresses are set; anyone else gets 403.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
try:
    METRICS_ALLOWED_NETWORKS = [
        ipaddress.ip_network(item, strict=False) for item in envlist("METRICS_ALLOWED_IPS")
    ]
except ValueError:
    raise _malformed(
        "METRICS_ALLOWED_IPS",
        os.environ.get("METRICS_ALLOWED_IPS", ""),
        "a comma-separated list of IP addresses or networks (10.0.0.0/8)",
    ) from None

# Read when scraped / when /health/ is asked (named here: lib and lti do not import grades).
METRICS_COLLECTORS = ["lti_quiz.grades.metrics.DeliveryCollector"]
HEALTH_REPORTS = ["lti_quiz.grades.metrics.delivery_queue"]

LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOG_REQUESTS = envbool("LOG_REQUESTS")  # one line per request, with its view, status and time
# "json": one JSON object per line (time, level, logger, message, request_id and the fields
# given with extra=), for log collectors; "plain": one readable line. JSON unless DEBUG.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain" if DEBUG else "json").strip().lower()
if LOG_FORMAT not in ("json", "plain"):
    raise _malformed("LOG_FORMAT", LOG_FORMAT, "json or plain")
# Requests refused for their size are logged by Django at ERROR with a traceback; they are the
# client's doing, so they become one WARNING line.
REFUSED_FOR_SIZE = ("RequestDataTooBig", "TooManyFieldsSent", "TooManyFilesSent")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "lti_quiz.lib.jsonlog.JsonFormatter"},
    },
    "filters": {
        "refused_request": {"()": "lti_quiz.lib.logfilters.RefusedRequestFilter"},
        "request_id": {"()": "lti_quiz.lib.request_id.RequestIdFilter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        **{
            f"django.security.{name}": {"filters": ["refused_request"]} for name in REFUSED_FOR_SIZE
        },
    },
}
