"""The quiz, summary, result and review pages with descriptions, an essay and a partly right
choice: descriptions are text without a number; the essay waits for review, is reviewed from
either page, and ends FullyGraded; a half-right option earns half and says so."""

import re
from decimal import Decimal

import pytest

from lti_quiz.grades.models import GradeDelivery
from lti_quiz.lti import nrps
from lti_quiz.quiz.models import Attempt, Placement, Response
from tests.factories.results import open_activity, roster_session
from tests.factories.text_kinds import GRADER_INFO, make_text_kinds_quiz

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(client, platform, settings) -> str:
    settings.QUIZ_DEFAULT_SLUG = make_text_kinds_quiz().slug
    return open_activity(client, platform)


def start(client, home: str, query: str = "") -> tuple[str, Attempt]:
    page = client.get(home + "quiz/" + query).content.decode()
    attempt = Attempt.objects.get(pk=re.search(r'name="attempt" value="(\d+)"', page)[1])
    return page, attempt


def slot_of(attempt: Attempt, kind: str) -> dict:
    return next(q for q in attempt.snapshot["questions"] if q["kind"] == kind)


def submit(client, home: str, attempt: Attempt, *, essay: str, choice: str = "Half right"):
    question = slot_of(attempt, "single_choice")
    key = next(c["key"] for c in question["choices"] if c["text"] == choice)
    essay_slot = slot_of(attempt, "essay")["slot"]
    return client.post(
        home + "quiz/",
        {"attempt": attempt.pk, f"q-{question['slot']}": key, f"q-{essay_slot}-text": essay},
    )


class TestTheQuizPage:
    def test_descriptions_show_as_text_without_number_flag_or_panel_entry(self, client, home):
        page, attempt = start(client, home)
        assert "Read this before the next questions" in page and "Now write." in page
        assert "Question 1 of 2" in page and "Question 2 of 2" in page
        assert "of 4" not in page
        assert "0 of 2 answered" in page
        assert page.count('class="panel-item') == 2
        assert page.count('class="flag-input"') == 2
        slots = [q["slot"] for q in attempt.snapshot["questions"] if q["kind"] != "description"]
        assert f'name="shown" value="{" ".join(slots)}"' in page

    def test_the_essay_is_a_labelled_textarea_with_its_limits_and_count(self, client, home):
        page, attempt = start(client, home)
        field = f"q-{slot_of(attempt, 'essay')['slot']}-text"
        assert f'<label class="muted" for="{field}">' in page
        assert f'id="{field}" name="{field}"' in page
        assert "Write between 3 and 12 words." in page
        assert f'aria-describedby="{field}-limits {field}-words"' in page
        assert "0 words" in page

    def test_the_template_fills_a_new_essay(self, client, platform, settings):
        quiz = make_text_kinds_quiz(slug="templated")
        question = quiz.questions.get(kind="essay")
        question.spec = {**question.spec, "response_template": "Claim: ...\nEvidence: ..."}
        question.save()
        settings.QUIZ_DEFAULT_SLUG = quiz.slug
        page, _ = start(client, open_activity(client, platform))
        assert ">Claim: ...\nEvidence: ...</textarea>" in page

    def test_one_per_page_shows_a_description_with_the_question_after_it(self, client, home):
        client.get(home)  # the first page of a launch makes its placement
        Placement.objects.update(one_question_per_page=True)
        first, _ = start(client, home)
        assert "Read this before the next questions" in first and "Now write." not in first
        second, _ = start(client, home, "?q=2")
        assert "Now write." in second and "Read this before" not in second
        assert client.get(home + "quiz/?q=3").status_code == 404

    def test_a_description_takes_no_draft(self, client, home):
        _, attempt = start(client, home)
        description = slot_of(attempt, "description")["slot"]
        response = client.post(
            home + "quiz/save/",
            {"attempt": attempt.pk, "answers": {description: "hello"}},
            content_type="application/json",
        )
        assert response.status_code == 400

    def test_an_essay_over_its_limit_is_saved_and_the_summary_says_so(self, client, home):
        _, attempt = start(client, home)
        slot = slot_of(attempt, "essay")["slot"]
        long = " ".join(["word"] * 15)
        response = client.post(
            home + "quiz/save/",
            {"attempt": attempt.pk, "answers": {slot: long}},
            content_type="application/json",
        )
        assert response.status_code == 200
        summary = client.get(home + "quiz/summary/").content.decode()
        assert "Outside the word limits" in summary
        assert "It has 15 words; at most 12 are asked for." in summary
        assert "You answered 1 of 2 questions." in summary
        page, _ = start(client, home)
        assert "15 words" in page and "at most 12 are asked for" in page


class TestSubmitting:
    def test_the_essay_waits_for_review_and_the_half_right_choice_earns_half(self, client, home):
        _, attempt = start(client, home)
        response = submit(client, home, attempt, essay="Smaller models, a little less accurate.")
        assert response.status_code == 302
        attempt.refresh_from_db()
        assert attempt.score == 1  # half of 2 points; the essay waits
        assert attempt.needs_review
        essay = Response.objects.get(attempt=attempt, slot=slot_of(attempt, "essay")["slot"])
        assert essay.review_state == "pending"
        assert essay.review_reason == "An essay is marked by a person."
        assert not Response.objects.filter(
            attempt=attempt, slot=slot_of(attempt, "description")["slot"]
        ).exists()
        result = client.get(response["Location"]).content.decode()
        assert "Partly correct" in result and "Waiting for review" in result
        marked = 'Half right <span class="tag">your answer</span> <span class="tag">Partly correct'
        assert marked in result
        assert "Smaller models, a little less accurate." in result
        assert "Hint 1: Think of size." in result and "Hint 2: And of accuracy." in result
        assert '<span class="number">2.</span>' in result
        assert '<span class="number">3.' not in result

    def test_hints_follow_the_feedback_rule(self, client, home):
        _, attempt = start(client, home)
        Placement.objects.update(review_feedback="never")
        response = submit(client, home, attempt, essay="Short.")
        result = client.get(response["Location"]).content.decode()
        assert "Think of size." not in result and "Hint 1" not in result

    def test_an_essay_over_its_limit_is_submitted_as_written(self, client, home):
        _, attempt = start(client, home)
        long = " ".join(["word"] * 15)
        submit(client, home, attempt, essay=long)
        essay = Response.objects.get(attempt=attempt, slot=slot_of(attempt, "essay")["slot"])
        assert essay.answer == long
        assert essay.review_reason.endswith("It has 15 words; at most 12 are asked for.")


class TestReviewingAnEssay:
    @pytest.fixture
    def instructor(self, client, platform, monkeypatch, home) -> str:
        _, attempt = start(client, home)
        submit(client, home, attempt, essay="Smaller and faster, a bit less accurate.")
        monkeypatch.setattr(nrps, "http_session", roster_session)
        return open_activity(client, platform, role="instructor")

    def test_the_queue_shows_the_grader_information_not_patterns(self, client, instructor):
        html = client.get(instructor + "results/").content.decode()
        assert "Information for graders" in html and GRADER_INFO in html
        assert "Accepted patterns" not in html
        assert "An essay is marked by a person." in html

    def test_a_review_ends_fully_graded_in_the_gradebook(self, client, instructor):
        pending = Response.objects.get(review_state="pending")
        response = client.post(
            f"{instructor}results/review/{pending.pk}/",
            {"decision": "score", "score": "3.5", "comment": "Good, name the trade-off."},
        )
        assert response.status_code == 303
        pending.refresh_from_db()
        assert (pending.score, pending.review_state) == (Decimal("3.5"), "partial")
        sent = GradeDelivery.objects.latest("timestamp")
        assert (sent.score_given, sent.grading_progress) == (Decimal("4.5"), "FullyGraded")

    def test_the_submission_page_offers_the_review_form_for_the_essay(
        self, client, platform, instructor
    ):
        from lti_quiz.lti.claims import MessageType
        from tests.support.lti_platform import ROLES

        alice = {"user_id": "student-sub-1", "name": "Alice Student", "roles": ROLES["student"]}
        launched = platform.launch(
            client,
            role="instructor",
            message_type=MessageType.SUBMISSION_REVIEW.value,
            for_user=alice,
        )
        html = client.get(launched["Location"]).content.decode()
        pending = Response.objects.get(review_state="pending")
        assert f'data-testid="review-{pending.pk}"' in html
        assert "Information for graders" in html
        assert "Read this before the next questions" in html
        response = client.post(
            f"{launched['Location']}review/{pending.pk}/", {"decision": "accept"}
        )
        assert response.status_code == 303
        sent = GradeDelivery.objects.latest("timestamp")
        assert (sent.score_given, sent.grading_progress) == (Decimal(5), "FullyGraded")
