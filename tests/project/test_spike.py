"""The exam spike's own arithmetic and wiring (the run itself is `make spike`)."""

import pytest

from loadtest.__main__ import percentile


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
