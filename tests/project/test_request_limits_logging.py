"""A request refused for its size is one WARNING line, not an ERROR with a traceback."""

import logging

import pytest


@pytest.mark.django_db
def test_an_oversized_form_is_refused_and_logged_as_one_warning(client, settings, caplog):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    with caplog.at_level(logging.INFO):
        response = client.post("/lti/login/", {"iss": "x" * 5000})

    assert response.status_code == 400
    [record] = [r for r in caplog.records if r.name == "django.security.RequestDataTooBig"]
    assert record.levelno == logging.WARNING
    assert record.exc_info is None
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
