"""The exam spike's own arithmetic and wiring (the run itself is `make spike`)."""

import pytest

from loadtest.__main__ import arrived_as_asked, percentile


@pytest.mark.parametrize(
    ("values", "fraction", "expected"),
    [
        ([], 0.95, 0.0),
        ([7.0], 0.5, 7.0),
        ([float(n) for n in range(1, 101)], 0.5, 50.0),
        ([float(n) for n in range(1, 101)], 0.95, 95.0),
        ([3.0, 1.0, 2.0], 0.95, 3.0),
    ],
)
def test_percentiles_are_nearest_rank_over_every_response_time(values, fraction, expected):
    assert percentile(values, fraction) == expected


@pytest.mark.parametrize(
    ("arrival", "students", "expected"),
    [
        (59.6, 1000, True),  # evenly over 60 s
        (54.0, 1000, True),  # within the tolerance
        (19.0, 300, False),  # what Locust's ramp did when users stopped after their sitting
        (0.0, 1, True),  # one student has no window
    ],
)
def test_a_run_counts_only_when_the_students_began_over_the_time_asked(arrival, students, expected):
    assert arrived_as_asked(arrival, seconds=60, students=students) is expected
