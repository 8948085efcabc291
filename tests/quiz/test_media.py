"""Question media: stored once per bank and content, served with its type and cached for good."""

import hashlib

import pytest

from lti_quiz.quiz.media import MediaRefused, media_store
from lti_quiz.quiz.models import QuestionBank

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def bank(physics: QuestionBank) -> QuestionBank:
    return physics


def test_a_file_is_stored_once_under_its_content_hash(bank):
    first = media_store(bank=bank, name="folder/graph 1.png", data=PNG)
    again = media_store(bank=bank, name="folder/graph 1.png", data=PNG)

    digest = hashlib.sha256(PNG).hexdigest()
    assert first.pk == again.pk
    assert first.url == f"/media/q/{digest}/graph-1.png"
    assert (first.content_type, first.size) == ("image/png", len(PNG))


def test_it_is_served_with_its_type_and_cached_for_good(client, bank):
    media = media_store(bank=bank, name="graph.png", data=PNG)

    response = client.get(media.url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["ETag"] == f'"{media.sha256}"'
    assert client.get(media.url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_an_unknown_file_is_a_404(client):
    assert client.get("/media/q/" + "0" * 64 + "/graph.png").status_code == 404


@pytest.mark.parametrize("name", ["drawing.svg", "page.html", "noextension"])
def test_script_capable_and_unknown_types_are_refused(bank, name):
    with pytest.raises(MediaRefused, match="only these file types"):
        media_store(bank=bank, name=name, data=b"<svg onload='alert(1)'/>")


def test_a_file_over_the_limit_is_refused(settings, bank):
    settings.QUIZ_MEDIA_MAX_BYTES = 10

    with pytest.raises(MediaRefused, match="larger than the limit"):
        media_store(bank=bank, name="graph.png", data=PNG)
