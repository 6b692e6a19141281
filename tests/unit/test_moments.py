from datetime import UTC, datetime, time

import pytest

from smolny.moments import parse_moment


def test_a_date_means_the_end_of_that_day() -> None:
    assert parse_moment("1917-10-25") == datetime(1917, 10, 25, 23, 59, 59, 999999, tzinfo=UTC)
    assert parse_moment("1917-10-25").time() == time.max


def test_a_time_without_zone_is_utc_and_z_is_accepted() -> None:
    assert parse_moment("2026-03-01T10:30") == datetime(2026, 3, 1, 10, 30, tzinfo=UTC)
    assert parse_moment("2026-03-01T10:30Z") == datetime(2026, 3, 1, 10, 30, tzinfo=UTC)


def test_an_offset_is_kept() -> None:
    moment = parse_moment("2026-03-01T10:30+03:00")
    assert moment.astimezone(UTC) == datetime(2026, 3, 1, 7, 30, tzinfo=UTC)


@pytest.mark.parametrize("text", ["2026-13-01", "yesterday", "01/03/2026", "", "2026-02-30"])
def test_malformed_moments_say_what_was_expected(text: str) -> None:
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_moment(text)
