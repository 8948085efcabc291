"""The practice LMS set up as `practice_lms setup` does, its people, and a fake tool."""

import pytest

from lti_quiz.practice_lms.models import Course, LineItem, Person, ToolRecord
from lti_quiz.practice_lms.setup import practice_lms_setup
from tests.factories.practice_lms import BASE_URL, CLIENT_ID, FakeTool, JwksServer


@pytest.fixture
def tool(db) -> ToolRecord:
    return practice_lms_setup(base_url=BASE_URL, client_id=CLIENT_ID)


@pytest.fixture
def course(tool) -> Course:
    return Course.objects.get()


@pytest.fixture
def instructor(course) -> Person:
    return course.people.get(role=Person.Role.INSTRUCTOR)


@pytest.fixture
def student(course) -> Person:
    return course.people.filter(role=Person.Role.STUDENT).order_by("position")[0]


@pytest.fixture
def other_student(course) -> Person:
    return course.people.filter(role=Person.Role.STUDENT).order_by("position")[1]


@pytest.fixture
def line_item(course) -> LineItem:
    return course.line_items.get()


@pytest.fixture
def jwks_server():
    server = JwksServer()
    yield server
    server.close()


@pytest.fixture
def fake_tool(tool, jwks_server) -> FakeTool:
    tool.jwks_url = jwks_server.url
    tool.save()
    return FakeTool(jwks_server, client_id=tool.client_id)
