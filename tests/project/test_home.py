import pytest

pytestmark = pytest.mark.django_db


def test_the_home_page_lists_the_urls_an_lms_admin_enters(client):
    page = client.get("/").content.decode()

    for path in ("/lti/login/", "/lti/launch/", "/lti/jwks/"):
        assert f"http://testserver{path}" in page


def test_health_says_ok_when_database_and_cache_answer(client):
    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json() == {
        "database": "ok",
        "cache": "ok",
        "queue_depth": 0,
        "oldest_pending_seconds": 0.0,
    }


def test_health_says_which_part_is_down(client, monkeypatch):
    class UnreachableCache:
        def set(self, *args, **kwargs):
            raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr("lti_quiz.lti.home_views.cache", UnreachableCache())

    response = client.get("/health/")

    assert response.status_code == 503
    assert response.json()["database"] == "ok"
    assert response.json()["cache"] == "unavailable"
