"""The learners table of the results page: filter, sort and page a class of any size.

The whole class is worked out first (placement_results, a constant number of queries), then
filtered, sorted and cut into pages in memory: the rows are in memory already for the page's
counts, and the counted score (the scoring policy, reviews) is not something SQL can order by.
Everything comes from GET parameters, so a view is a link an instructor can bookmark or share.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from lti_quiz.activity.errors import ResultsViewUnknown
from lti_quiz.activity.results import LearnerResult

PAGE_SIZE = 50


def learner_state(row: LearnerResult) -> str:
    """Where a learner stands, the most urgent first: a failed delivery hides nothing else."""
    if row.delivery_failed:
        return "failed"
    if row.counted is not None and row.counted.pending_review:
        return "review"
    if row.submitted:
        return "submitted"
    if row.in_progress:
        return "in-progress"
    return "not-started"


FILTERS = {
    "": _("Everyone"),
    "not-started": _("Not started"),
    "in-progress": _("In progress"),
    "submitted": _("Submitted"),
    "review": _("Waiting for review"),
    "failed": _("Delivery failed"),
}
# Filters match what a learner has, not only their most urgent state: a learner whose score
# waits for review has also submitted.
MATCHES: dict[str, Callable[[LearnerResult], bool]] = {
    "not-started": lambda r: not r.attempts,
    "in-progress": lambda r: r.in_progress,
    "submitted": lambda r: bool(r.submitted),
    "review": lambda r: r.counted is not None and r.counted.pending_review,
    "failed": lambda r: r.delivery_failed,
}
STATE_ORDER = ["not-started", "in-progress", "submitted", "review", "failed"]


def _last_submitted(row: LearnerResult) -> datetime | None:
    return max((a.submitted_at for a in row.submitted if a.submitted_at), default=None)


def _name(row: LearnerResult) -> str:
    return (row.name or row.user_sub).casefold()


SORTS: dict[str, tuple[object, Callable[[LearnerResult], tuple]]] = {
    "name": (_("Name"), lambda r: (_name(r), r.user_sub)),
    "status": (_("Status"), lambda r: (STATE_ORDER.index(learner_state(r)), _name(r))),
    "score": (
        _("Counted score"),
        lambda r: (
            r.counted is not None,
            r.counted.score / r.counted.max_score
            if r.counted and r.counted.max_score
            else Decimal(0),
            _name(r),
        ),
    ),
    "submitted": (
        _("Last submitted"),
        lambda r: (_last_submitted(r) is not None, _last_submitted(r) or datetime.min, _name(r)),
    ),
}


@dataclass(frozen=True)
class LearnersTable:
    page: Page
    filter: str
    sort: str
    descending: bool
    total: int  # learners after the filter

    @property
    def first(self) -> int:
        return self.page.start_index()

    @property
    def last(self) -> int:
        return self.page.end_index()

    def query(self, **changes: object) -> str:
        """This view's GET parameters with `changes` (a link to another page or order)."""
        params = {"filter": self.filter, "sort": self.sort, "order": self.order}
        params.update({k: str(v) for k, v in changes.items()})
        return urlencode({k: v for k, v in params.items() if v})

    @property
    def order(self) -> str:
        return "desc" if self.descending else "asc"

    def sort_link(self, key: str) -> str:
        """Sorting by the column shown: a second click turns the order around."""
        flip = key == self.sort and not self.descending
        return self.query(sort=key, order="desc" if flip else "asc", page="")

    @property
    def columns(self) -> dict[str, dict[str, str]]:
        """Per sortable column: its link and its aria-sort ("none" unless it is the order)."""
        return {
            key: {
                "link": self.sort_link(key),
                "aria_sort": ("descending" if self.descending else "ascending")
                if key == self.sort
                else "none",
            }
            for key in SORTS
        }

    @property
    def previous_link(self) -> str:
        return self.query(page=self.page.previous_page_number()) if self.page.has_previous() else ""

    @property
    def next_link(self) -> str:
        return self.query(page=self.page.next_page_number()) if self.page.has_next() else ""


def learners_table(*, learners: list[LearnerResult], params: Mapping[str, str]) -> LearnersTable:
    """The page of learners a results address asks for. Raises ResultsViewUnknown."""
    chosen = params.get("filter", "")
    sort = params.get("sort", "") or "name"
    order = params.get("order", "") or "asc"
    if chosen not in FILTERS or sort not in SORTS or order not in ("asc", "desc"):
        raise ResultsViewUnknown()
    rows = [r for r in learners if MATCHES[chosen](r)] if chosen else list(learners)
    if params.get("sort") or order == "desc":  # else the roster's order, the unlisted last
        rows.sort(key=SORTS[sort][1], reverse=order == "desc")
    # get_page: a page number past the end shows the last page, a garbled one the first.
    page = Paginator(rows, PAGE_SIZE).get_page(params.get("page"))
    return LearnersTable(
        page=page, filter=chosen, sort=sort, descending=order == "desc", total=len(rows)
    )
