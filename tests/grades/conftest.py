import pytest

from tests.factories.grades import registration_create, resource_link_create


@pytest.fixture
def link(db):
    """A resource link of a registered platform, with a line item to send scores to."""
    return resource_link_create(registration_create())
