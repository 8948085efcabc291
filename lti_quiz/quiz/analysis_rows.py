"""The plain rows item analysis and the exports read, loaded for any number of learners in a
constant number of queries: the attempts with their placements (one query), their responses
(one), and the quiz's authoring order (one)."""

from collections.abc import Iterable, Sequence
from dataclasses import replace

from lti_quiz.quiz.item_analysis import AttemptRow, ResponseRow, counted_numbers
from lti_quiz.quiz.models import Attempt, Placement, Quiz, Response


def attempt_rows(*, placements: Iterable[Placement]) -> list[AttemptRow]:
    """Every learner's attempt (never staff previews) in `placements`, submitted or not, with
    `counted` set by each placement's scoring policy; ordered by placement, learner, number."""
    attempts = (
        Attempt.objects.filter(placement__in=list(placements), is_preview=False)
        .select_related("placement__quiz")
        .prefetch_related("responses")
        .order_by("placement__key", "learner_key", "number")
    )
    rows = []
    policies: dict[str, str] = {}
    for attempt in attempts:
        policies[attempt.placement.key] = attempt.placement.effective_scoring_policy
        rows.append(
            AttemptRow(
                placement=attempt.placement.key,
                learner=attempt.learner_key,
                number=attempt.number,
                submitted=attempt.status == Attempt.Status.SUBMITTED,
                score=attempt.score,
                max_score=attempt.max_score,
                started_at=attempt.started_at,
                submitted_at=attempt.submitted_at,
                questions=attempt.snapshot.get("questions", []),
                responses={
                    response.slot: ResponseRow(
                        answer=response.answer,
                        score=response.score,
                        pending=response.review_state == Response.ReviewState.PENDING,
                    )
                    for response in attempt.responses.all()
                },
            )
        )
    counted: set[tuple[str, str, int]] = set()
    for key, policy in policies.items():
        counted |= counted_numbers((row for row in rows if row.placement == key), policy)
    return [
        replace(row, counted=True) if (row.placement, row.learner, row.number) in counted else row
        for row in rows
    ]


def quiz_order(quiz: Quiz) -> Sequence[int]:
    """The quiz's question ids in authoring order (attempts may ask them shuffled)."""
    return list(quiz.entries.values_list("question_id", flat=True))
