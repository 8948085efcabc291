"""Progress and navigation on the quiz page over HTTP, without a script: the count and the
question panel drawn from the saved drafts, flags kept, one question per page with Previous and
Next that save as they move, the summary before the final submit, and the submit that scores
the posted page together with what was saved."""

import re

import pytest

from lti_quiz.quiz.models import Attempt, DraftAnswer, Placement
from tests.factories.results import open_activity

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_quiz")]


def start(client, home_url: str, query: str = "") -> tuple[Attempt, str]:
    page = client.get(home_url + "quiz/" + query).content.decode()
    attempt = Attempt.objects.get(pk=re.search(r'name="attempt" value="(\d+)"', page)[1])
    return attempt, page


def right_answer(question: dict) -> list[str] | str:
    if question["kind"] == "short_answer":
        return "unused"
    return [c["key"] for c in question["choices"] if c["is_correct"]]


def one_per_page(client, home_url: str) -> None:
    client.get(home_url)  # the first page of a launch makes its placement
    Placement.objects.update(one_question_per_page=True)


@pytest.fixture
def alice(client, platform) -> str:
    return open_activity(client, platform)


def test_the_quiz_page_numbers_each_question_and_counts_the_answered(client, alice):
    attempt, _ = start(client, alice)
    first, second, third = attempt.snapshot["questions"][:3]
    DraftAnswer.objects.create(attempt=attempt, slot=first["slot"], answer=right_answer(first))
    DraftAnswer.objects.create(attempt=attempt, slot=second["slot"], answer=[], flagged=True)
    DraftAnswer.objects.create(
        attempt=attempt, slot=third["slot"], answer=right_answer(third), flagged=True
    )

    page = client.get(alice + "quiz/").content.decode()

    assert "Question 1 of 10" in page and "Question 10 of 10" in page
    assert "2 of 10 answered" in page
    assert 'aria-live="polite"' in page
    assert '<nav class="question-panel" id="question-panel" aria-labelledby=' in page
    assert "Question 1, answered</span>" in page
    assert "Question 2, not answered, flagged</span>" in page
    assert "Question 3, answered, flagged</span>" in page
    assert "Question 4, not answered</span>" in page
    assert f'href="#question-{first["slot"]}"' in page
    # Unanswered questions are allowed: the summary warns, the browser does not stop the submit.
    assert " required" not in page


def test_moving_to_the_summary_saves_the_page_and_lists_unanswered_and_flagged(client, alice):
    attempt, _ = start(client, alice)
    questions = attempt.snapshot["questions"]
    choice = next(q for q in questions if q["kind"] == "single_choice")
    short = next(q for q in questions if q["kind"] == "short_answer")
    DraftAnswer.objects.create(attempt=attempt, slot=short["slot"], answer="", flagged=True)
    shown = " ".join(q["slot"] for q in questions)

    response = client.post(
        alice + "quiz/go/",
        {
            "attempt": attempt.pk,
            "shown": shown,
            "go": "summary",
            f"q-{choice['slot']}": right_answer(choice),
            f"flag-{choice['slot']}": "1",
            f"q-{short['slot']}-text": "",
        },
    )

    assert response.status_code == 303
    assert response["Location"] == alice + "quiz/summary/"
    drafts = {d.slot: d for d in attempt.drafts.all()}
    assert drafts[choice["slot"]].answer == right_answer(choice)
    assert drafts[choice["slot"]].flagged is True
    # The page showed the short answer with its flag unticked: the flag is cleared.
    assert drafts[short["slot"]].flagged is False
    assert len(drafts) == 10

    summary = client.get(response["Location"]).content.decode()
    assert "You answered 1 of 10 questions." in summary
    assert "Not answered: 9 questions" in summary
    assert "Flagged for later: 1 question" in summary
    flagged = summary.split('id="flagged"', 1)[1].split("</ul>", 1)[0]
    number = questions.index(choice) + 1
    assert f'quiz/#question-{choice["slot"]}">Question {number}</a>' in flagged
    assert f'name="attempt" value="{attempt.pk}"' in summary
    assert "Submit all and finish" in summary


def test_the_summary_confirmation_scores_the_saved_answers(client, alice):
    attempt, _ = start(client, alice)
    for question in attempt.snapshot["questions"]:
        if question["kind"] != "short_answer":
            DraftAnswer.objects.create(
                attempt=attempt, slot=question["slot"], answer=right_answer(question)
            )

    response = client.post(alice + "quiz/", {"attempt": attempt.pk})

    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.is_submitted
    assert attempt.score == 9  # every choice question right; the short answer left blank
    assert not DraftAnswer.objects.exists()


def test_the_final_submit_takes_the_posted_page_over_its_drafts(client, alice):
    attempt, _ = start(client, alice)
    multi, single = [q for q in attempt.snapshot["questions"] if q["kind"] == "single_choice"][:2]
    DraftAnswer.objects.create(attempt=attempt, slot=multi["slot"], answer=right_answer(multi))
    DraftAnswer.objects.create(attempt=attempt, slot=single["slot"], answer=right_answer(single))

    # The posted page showed the first question with nothing ticked (its draft had an answer).
    client.post(alice + "quiz/", {"attempt": attempt.pk, "shown": multi["slot"]})

    responses = {r.slot: r for r in attempt.responses.all()}
    assert responses[multi["slot"]].answer == []
    assert responses[single["slot"]].answer == right_answer(single)
    assert responses[single["slot"]].is_correct is True


def test_the_summary_without_an_attempt_in_progress_goes_back_to_the_activity(client, alice):
    response = client.get(alice + "quiz/summary/")

    assert response.status_code == 302
    assert response["Location"] == alice


class TestOneQuestionPerPage:
    def test_the_page_shows_one_question_and_the_panel_buttons(self, client, alice):
        one_per_page(client, alice)
        attempt, page = start(client, alice)

        assert page.count('<fieldset class="question"') == 1
        assert "Question 1 of 10" in page and "Question 2 of 10" not in page
        assert page.count('class="panel-item') == 10
        assert re.search(
            r'value="1"\s+class="panel-item" data-slot="[^"]+" aria-current="page"', page
        )
        assert 'id="next-question"' in page and 'id="previous-question"' not in page
        assert f'name="shown" value="{attempt.snapshot["questions"][0]["slot"]}"' in page

        third = client.get(alice + "quiz/?q=3").content.decode()
        assert "Question 3 of 10" in third and 'id="previous-question"' in third

    @pytest.mark.parametrize("q", ["0", "11", "three"])
    def test_a_question_number_out_of_range_is_a_clear_404(self, client, alice, q):
        one_per_page(client, alice)
        start(client, alice)

        response = client.get(alice + f"quiz/?q={q}")

        assert response.status_code == 404
        assert "This attempt has no question with that number." in response.content.decode()

    def test_next_and_previous_save_the_page_and_come_back_to_it(self, client, alice):
        one_per_page(client, alice)
        attempt, _ = start(client, alice)
        first, second = attempt.snapshot["questions"][:2]

        moved = client.post(
            alice + "quiz/go/",
            {
                "attempt": attempt.pk,
                "shown": first["slot"],
                "go": "2",
                f"q-{first['slot']}": right_answer(first),
                f"flag-{first['slot']}": "1",
            },
        )

        assert moved.status_code == 303
        assert moved["Location"] == alice + f"quiz/?q=2#question-{second['slot']}"
        page = client.get(alice + "quiz/?q=2").content.decode()
        assert "Question 2 of 10" in page
        assert "1 of 10 answered" in page
        assert "Question 1, answered, flagged</span>" in page

        back = client.post(
            alice + "quiz/go/", {"attempt": attempt.pk, "shown": second["slot"], "go": "1"}
        )
        page = client.get(back["Location"]).content.decode()
        key = right_answer(first)[0]
        assert re.search(rf'name="q-{first["slot"]}" value="{key}" checked', page)
        assert f'name="flag-{first["slot"]}" value="1" checked' in page

    def test_the_last_page_submits_the_saved_answers_with_its_own(self, client, alice):
        one_per_page(client, alice)
        attempt, _ = start(client, alice)
        questions = attempt.snapshot["questions"]
        for question in questions[:-1]:
            client.post(
                alice + "quiz/go/",
                {
                    "attempt": attempt.pk,
                    "shown": question["slot"],
                    "go": str(questions.index(question) + 2),
                    (
                        f"q-{question['slot']}-text"
                        if question["kind"] == "short_answer"
                        else f"q-{question['slot']}"
                    ): right_answer(question),
                },
            )
        last = questions[-1]
        data = {"attempt": attempt.pk, "shown": last["slot"]}
        data[
            f"q-{last['slot']}-text" if last["kind"] == "short_answer" else f"q-{last['slot']}"
        ] = right_answer(last)

        client.post(alice + "quiz/", data)

        attempt.refresh_from_db()
        assert attempt.is_submitted
        assert attempt.responses.count() == 10
        assert all(r.answer for r in attempt.responses.all())

    def test_a_page_post_for_a_question_the_attempt_did_not_ask_is_refused(self, client, alice):
        one_per_page(client, alice)
        attempt, _ = start(client, alice)

        response = client.post(
            alice + "quiz/go/", {"attempt": attempt.pk, "shown": "99", "go": "2"}
        )

        assert response.status_code == 400
        assert not DraftAnswer.objects.exists()

    def test_a_staff_preview_moves_and_reaches_its_summary(self, client, platform):
        home = open_activity(client, platform, role="instructor")
        one_per_page(client, home)
        attempt, _ = start(client, home)
        assert attempt.is_preview

        moved = client.post(
            home + "quiz/go/",
            {
                "attempt": attempt.pk,
                "shown": attempt.snapshot["questions"][0]["slot"],
                "go": "summary",
            },
        )

        summary = client.get(moved["Location"]).content.decode()
        assert "Summary of your attempt" in summary and "Preview" in summary


class TestTheInstructorsSetting:
    def test_the_settings_page_switches_one_question_per_page(self, client, platform, alice):
        staff = open_activity(client, platform, role="instructor")
        assert 'name="one_question_per_page" value="false" checked' in (
            client.get(staff + "results/").content.decode()
        )

        response = client.post(
            staff + "results/settings/",
            {"review_scores": "marked_pending", "one_question_per_page": "true"},
        )

        assert response.status_code == 303
        assert Placement.objects.get().one_question_per_page is True
        _, page = start(client, alice)
        assert page.count('<fieldset class="question"') == 1

    def test_a_bad_choice_is_a_400_saying_what_to_choose(self, client, platform):
        staff = open_activity(client, platform, role="instructor")

        response = client.post(
            staff + "results/settings/",
            {"review_scores": "marked_pending", "one_question_per_page": "sometimes"},
        )

        assert response.status_code == 400
        assert "Choose all questions on one page, or one question per page." in (
            response.content.decode()
        )

    def test_a_student_cannot_change_it(self, client, alice):
        response = client.post(
            alice + "results/settings/",
            {"review_scores": "marked_pending", "one_question_per_page": "true"},
        )

        assert response.status_code == 403
        assert Placement.objects.get().one_question_per_page is False
