from pathlib import Path

import pytest


@pytest.mark.django_db
def test_favicon_ico_leads_to_the_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"].endswith("/lti_quiz/favicon.svg")


def test_the_icon_is_a_static_file():
    from django.contrib.staticfiles import finders

    path = finders.find("lti_quiz/favicon.svg")
    assert path is not None
    assert Path(path).read_text().startswith("<svg")


@pytest.mark.django_db
def test_pages_name_the_icon(client):
    assert 'rel="icon" href="/static/lti_quiz/favicon.svg"' in client.get("/").content.decode()
