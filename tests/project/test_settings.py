"""Settings fail closed: start-up stops, naming the variable, rather than run on a wrong value.

Each case loads the settings in a fresh Python process with the environment given, as a server
starting up would.
"""

import os
import subprocess
import sys

import pytest
from django.conf import settings

LOAD_SETTINGS = "import django; django.setup(); from django.conf import settings; print('ok')"


def start(code: str = LOAD_SETTINGS, **env: str) -> subprocess.CompletedProcess:
    environment = {
        name: value
        for name, value in os.environ.items()
        if name
        not in (
            "SECRET_KEY",
            "DEBUG",
            "HTTPS",
            "HTTP_TIMEOUT",
            "GRADES_MAX_ATTEMPTS",
            "DATABASE_URL",
            "DB_PREPARED_STATEMENTS",
        )
    }
    environment.update(DJANGO_SETTINGS_MODULE="lti_quiz.settings", **env)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_without_a_secret_key_refuses_to_start():
    result = start(DEBUG="0")

    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set" in result.stderr


def test_a_developer_machine_starts_without_one():
    result = start(DEBUG="1")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_production_with_a_secret_key_starts():
    assert start(SECRET_KEY="a-long-random-value-" * 3).returncode == 0


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("HTTPS", "ture", "is not a boolean"),
        ("DEBUG", "maybe", "is not a boolean"),
        ("GRADES_MAX_ATTEMPTS", "eight", "is not a whole number"),
        ("HTTP_TIMEOUT", "10s", "is not a number"),
        ("HTTP_TIMEOUT", "nan", "is not a finite number"),
    ],
)
def test_a_malformed_value_stops_start_up_naming_the_variable(name, value, expected):
    result = start(SECRET_KEY="a-long-random-value-" * 3, **{name: value})

    assert result.returncode != 0
    assert f"Environment variable {name}={value!r} {expected}" in result.stderr


@pytest.mark.parametrize("value", ["1", "true", "Yes", "on", "0", "false", "no", "off", ""])
def test_every_usual_spelling_of_a_boolean_is_read(value):
    assert start(SECRET_KEY="a-long-random-value-" * 3, HTTPS=value).returncode == 0


SHOW_DATABASE_OPTIONS = (
    "import django; django.setup(); from django.conf import settings; "
    "print(sorted(settings.DATABASES['default'].get('OPTIONS', {}).items()))"
)


@pytest.mark.parametrize(
    ("prepared", "expected"),
    [
        (None, "[('prepare_threshold', 5), ('server_side_binding', True)]"),
        ("1", "[('prepare_threshold', 5), ('server_side_binding', True)]"),
        ("0", "[]"),
    ],
)
def test_postgresql_prepares_repeated_queries_unless_told_not_to(prepared, expected):
    """Django leaves prepared statements off; ours are on unless a pooler cannot keep them."""
    env = {"SECRET_KEY": "a-long-random-value-" * 3, "DATABASE_URL": "postgres://db.example/quiz"}
    if prepared is not None:
        env["DB_PREPARED_STATEMENTS"] = prepared

    result = start(SHOW_DATABASE_OPTIONS, **env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected
