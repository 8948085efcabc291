"""A launch on a server where `load_content` never ran: a clear 503 naming the command."""

import logging

from tests.support.lti_platform import launch_id_of


def test_the_activity_page_says_which_command_loads_the_quiz(client, platform, caplog):
    launch_id = launch_id_of(platform.launch(client))

    with caplog.at_level(logging.WARNING):
        response = client.get(f"/lti/activity/{launch_id}/")

    assert response.status_code == 503
    page = response.content.decode()
    assert "The quiz is not set up yet" in page
    assert "python manage.py load_content" in page
    assert response["Content-Security-Policy"] == "frame-ancestors *"
    [record] = [r for r in caplog.records if "load_content" in r.getMessage()]
    assert record.levelno == logging.WARNING and record.exc_info is None


def test_the_results_page_says_so_too(client, platform):
    launch_id = launch_id_of(platform.launch(client, role="instructor"))

    response = client.get(f"/lti/activity/{launch_id}/results/")

    assert response.status_code == 503
    assert "python manage.py load_content" in response.content.decode()
