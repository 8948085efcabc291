"""What the grade queue looks like, for /health/ and /metrics (named in settings:
HEALTH_REPORTS, METRICS_COLLECTORS). Read from the database when asked, so every process gives
the same answer."""

from collections.abc import Iterable

from django.db.models import Count, Min
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from lti_quiz.grades.models import GradeDelivery


def delivery_queue() -> dict[str, object]:
    """Queue depth (grade deliveries pending) and the age in seconds of the oldest pending one
    (0 when none): what /health/ and /metrics report."""
    pending = GradeDelivery.objects.pending().aggregate(depth=Count("pk"), oldest=Min("created_at"))
    oldest = pending["oldest"]
    age = (timezone.now() - oldest).total_seconds() if oldest is not None else 0.0
    return {"queue_depth": pending["depth"], "oldest_pending_seconds": round(max(age, 0.0), 3)}


class DeliveryCollector(Collector):
    """Grade-delivery figures read from the database when scraped."""

    def collect(self) -> Iterable[Metric]:
        by_state = GaugeMetricFamily(
            "lti_quiz_grade_deliveries", "Grade deliveries by state.", labels=["state"]
        )
        counts = dict(GradeDelivery.objects.values_list("state").annotate(n=Count("pk")).order_by())
        for state in GradeDelivery.State.values:
            by_state.add_metric([state], counts.get(state, 0))
        yield by_state
        queue = delivery_queue()
        yield GaugeMetricFamily(
            "lti_quiz_grade_queue_depth",
            "Grade deliveries waiting to be sent.",
            value=float(queue["queue_depth"]),  # type: ignore[arg-type]
        )
        yield GaugeMetricFamily(
            "lti_quiz_grade_oldest_pending_seconds",
            "Age of the oldest grade delivery waiting to be sent (0 when none).",
            value=float(queue["oldest_pending_seconds"]),  # type: ignore[arg-type]
        )
