"""A body's seats by faction over time (smolny.domain.timeline), the shares chart and the
compact hemicycle the timeline page draws."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smolny.domain.errors import InvalidInput
from smolny.domain.federation import Council, CouncilKind, Faction
from smolny.domain.mandates import Mandate
from smolny.domain.timeline import SeatSeries, seat_series
from smolny.services.timeline import BodySeries, Span
from smolny.web import timeline as chart_frame
from smolny.web.hemicycle import SeatGroup, hemicycle_svg
from smolny.web.timeline import day_ticks, shares_chart_svg

T0 = datetime(1917, 6, 1, 12, tzinfo=UTC)
LEFT_ID, CENTRE = 1, 2


def day(n: float) -> datetime:
    return T0 + timedelta(days=n)


def mandate(
    mid: int, faction: int | None, start: float, end: float | None = None, council: int = 1
) -> Mandate:
    return Mandate(
        id=mid,
        council_id=council,
        member_id=mid,
        faction_id=faction,
        section_id=None,
        constituency_id=1,
        origin_council_id=None,
        election_id=None,
        valid_from=day(start),
        valid_to=None if end is None else day(end),
    )


def seats(series: SeatSeries) -> list[tuple[float, dict[int | None, int]]]:
    return [((s.at - T0) / timedelta(days=1), dict(s.seats)) for s in series.steps]


def test_a_step_at_the_start_and_at_every_change() -> None:
    series = seat_series(
        [mandate(1, LEFT_ID, 0, 10), mandate(2, CENTRE, 0), mandate(3, CENTRE, 5)], day(-1), day(20)
    )
    assert seats(series) == [
        (-1, {}),
        (0, {LEFT_ID: 1, CENTRE: 1}),
        (5, {LEFT_ID: 1, CENTRE: 2}),
        (10, {CENTRE: 2}),
    ]
    assert series.at(day(4)).seats == {LEFT_ID: 1, CENTRE: 1}  # type: ignore[union-attr]
    assert series.at(day(10)).seats == {CENTRE: 2}  # type: ignore[union-attr]
    assert series.at(day(-2)) is None
    assert series.groups() == [LEFT_ID, CENTRE]


def test_a_mandate_ending_as_another_starts_is_one_moment() -> None:
    """At the moment one mandate ends and the next begins, only the new holder counts: a
    seat passing within a faction changes nothing; across factions it is one step."""
    same = seat_series([mandate(1, LEFT_ID, 0, 5), mandate(2, LEFT_ID, 5)], day(0), day(9))
    assert seats(same) == [(0, {LEFT_ID: 1})]
    across = seat_series([mandate(1, LEFT_ID, 0, 5), mandate(2, CENTRE, 5)], day(0), day(9))
    assert seats(across) == [(0, {LEFT_ID: 1}), (5, {CENTRE: 1})]
    assert across.at(day(5) - timedelta(microseconds=1)).seats == {LEFT_ID: 1}  # type: ignore[union-attr]


def test_the_period_bounds_the_changes() -> None:
    mandates = [mandate(1, LEFT_ID, 0, 3), mandate(2, None, 2, 8), mandate(3, CENTRE, 12)]
    series = seat_series(mandates, day(2), day(8))
    # started before and ended within; started at the start; ended at the end; later: not seen
    assert seats(series) == [(2, {LEFT_ID: 1, None: 1}), (3, {None: 1}), (8, {})]
    assert seats(seat_series(mandates, day(5), day(5))) == [(5, {None: 1})]


def test_a_mandate_never_held_is_ignored() -> None:
    assert seats(seat_series([mandate(1, LEFT_ID, 4, 4)], day(0), day(9))) == [(0, {})]


def test_the_series_refuses_a_period_that_ends_before_it_starts() -> None:
    with pytest.raises(InvalidInput, match="before it starts"):
        seat_series([], day(2), day(1))
    with pytest.raises(InvalidInput, match="time zone"):
        seat_series([], datetime(1917, 6, 1), datetime(1917, 6, 2))


# A mandate as (faction, start day, length in days or None for open-ended).
mandates_strategy = st.lists(
    st.tuples(
        st.sampled_from([LEFT_ID, CENTRE, None]),
        st.integers(0, 30),
        st.one_of(st.none(), st.integers(0, 15)),
    ),
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(mandates_strategy, st.integers(0, 35), st.integers(0, 35))
def test_every_moment_is_the_count_of_the_mandates_in_force(
    rows: list[tuple[int | None, int, int | None]], a: int, b: int
) -> None:
    start, end = day(min(a, b)), day(max(a, b))
    mandates = [
        mandate(i, faction, first, None if length is None else first + length)
        for i, (faction, first, length) in enumerate(rows, start=1)
    ]
    series = seat_series(mandates, start, end)
    times = [s.at for s in series.steps]
    assert times[0] == start
    assert times == sorted(set(times))
    assert all(start <= t <= end for t in times)
    assert all(x.seats != y.seats for x, y in zip(series.steps, series.steps[1:], strict=False))
    # Every moment of the period (each day, and half a day after) agrees with a count.
    for k in range(int((end - start) / timedelta(hours=12)) + 1):
        moment = start + k * timedelta(hours=12)
        counted = Counter(m.faction_id for m in mandates if m.active_at(moment))
        step = series.at(moment)
        assert step is not None
        assert dict(step.seats) == {g: n for g, n in counted.items() if n}


# -- the shares chart -----------------------------------------------------------------------

FACTIONS = [
    Faction(LEFT_ID, 1, "Left", "L", "#aa0000"),
    Faction(CENTRE, 1, "Centre", "C", "#00aa00"),
]
COLORS = {"Left": "#aa0000", "Centre": "#00aa00"}
COUNCIL = Council(1, 1, "Congress", "congress", CouncilKind.CONGRESS, None, T0)


def chart(series: SeatSeries, **options: datetime) -> str:
    return shares_chart_svg(BodySeries(COUNCIL, None, series, True), FACTIONS, COLORS, **options)


def vertices(d: str) -> list[tuple[float, float]]:
    """The corners of a band's path (M x,y then V y and H x commands, subpaths closed)."""
    found: list[tuple[float, float]] = []
    x = y = 0.0
    for command, value in re.findall(r"([MVHZ])([^MVHZ]*)", d):
        if command == "M":
            x, y = map(float, value.split(","))
        elif command == "V":
            y = float(value)
        elif command == "H":
            x = float(value)
        else:
            continue
        found.append((x, y))
    return found


def test_the_chart_stacks_the_shares_the_first_faction_on_top() -> None:
    series = seat_series(
        [
            mandate(1, LEFT_ID, 0),
            mandate(2, CENTRE, 0),
            mandate(3, CENTRE, 0, 10),
            mandate(4, LEFT_ID, 10),
        ],
        day(0),
        day(20),
    )
    svg = chart(series, marker=day(15))
    bands = dict(re.findall(r'<path class="band" data-faction="(\w+)" d="([^"]+)"', svg))
    assert set(bands) == {"left", "centre"}
    # Left holds a third, then two thirds: its band's lower edge drops at day 10; the
    # Centre's band is painted first, from the top down to the bottom of the plot.
    top, bottom = chart_frame.TOP, chart_frame.HEIGHT - chart_frame.BOTTOM
    height = bottom - top
    assert {round(y, 1) for _, y in vertices(bands["left"])} == {
        top,
        round(top + height / 3, 1),
        round(top + 2 * height / 3, 1),
    }
    assert {y for _, y in vertices(bands["centre"])} == {top, bottom}
    assert svg.index('data-faction="centre"') < svg.index('data-faction="left"')
    assert 'class="marker"' in svg
    assert 'data-steps="2"' in svg
    assert "Left 1 (33%), Centre 2 (67%)" in svg  # the text alternative
    assert "Left 2 (67%), Centre 1 (33%)" in svg


def test_the_chart_leaves_out_a_marker_outside_its_period_and_blank_stretches() -> None:
    series = seat_series([mandate(1, LEFT_ID, 5)], day(0), day(20))
    svg = chart(series, marker=day(40))
    assert 'class="marker"' not in svg
    (d,) = re.findall(r'<path class="band" data-faction="left" d="([^"]+)"', svg)
    assert d.count("M") == 1  # one run: from day 5 on, nothing drawn before
    left, right = chart_frame.LEFT, chart_frame.WIDTH - chart_frame.RIGHT
    assert min(x for x, _ in vertices(d)) == pytest.approx(left + (right - left) * 5 / 20, abs=0.1)
    assert "no seat filled" in svg


def test_the_chart_runs_on_to_until() -> None:
    series = seat_series([mandate(1, LEFT_ID, 0)], day(0), day(10))
    svg = chart(series, until=day(20))
    assert re.search(r'data-to="1917-06-21T12:00:00(\.0+)?(Z|\+00:00)"', svg)
    (d,) = re.findall(r'<path class="band" data-faction="left" d="([^"]+)"', svg)
    assert max(x for x, _ in vertices(d)) == pytest.approx(chart_frame.WIDTH - chart_frame.RIGHT)


def test_a_chart_of_thousands_of_changes_stays_small() -> None:
    """A council of 3,000 seats re-elected seat by seat, a change every hour for 120
    days: the bands are drawn at the chart's resolution, the text tells the steps."""
    mandates = [mandate(i, LEFT_ID if i % 3 else CENTRE, 0, i / 24) for i in range(1, 2881)]
    mandates += [mandate(10_000 + i, LEFT_ID, i / 24) for i in range(1, 2881)]
    series = seat_series(mandates, day(0), day(121))
    assert len(series.steps) == 961  # each Centre seat passing to the Left is a change
    svg = chart(series)
    assert len(svg) < 20_000
    assert 'data-steps="961"' in svg
    (d,) = re.findall(r'<path class="band" data-faction="left" d="([^"]+)"', svg)
    corners = vertices(d)
    assert len(corners) < 2 * 330  # about one step a unit of width
    # The Left's share grows from two thirds to all: its band's lower edge falls.
    top, bottom = chart_frame.TOP, chart_frame.HEIGHT - chart_frame.BOTTOM
    assert corners[1][1] == pytest.approx(top + (bottom - top) * 2 / 3, abs=0.5)  # merged steps
    assert corners[-2][1] == pytest.approx(bottom, abs=0.1)
    ys = [y for _, y in corners[1:-1]]
    assert ys == sorted(ys)


def test_day_ticks_name_months_or_days() -> None:
    months = [text for _, text in day_ticks(day(0), day(150))]
    assert months[0] == "Jul 1917"
    assert months[1:3] == ["Aug", "Sep"]
    assert len(months) <= 6
    days = [text for _, text in day_ticks(day(0), day(20))]
    assert days[0] == "2 Jun"
    assert 1 < len(days) <= 6


def test_the_chart_span_runs_past_the_last_change() -> None:
    span = Span(day(0), day(30))
    assert span.drawn_until > day(30)
    assert span.first_day == day(0).date()
    assert span.last_day == day(30).date()


# -- the compact hemicycle ------------------------------------------------------------------


def test_a_compact_hemicycle_draws_every_seat_in_one_path_per_group() -> None:
    groups = [
        SeatGroup("left", "Left", 1800, "#aa0000"),
        SeatGroup("centre", "Centre", 950, "#00aa00"),
    ]
    svg = hemicycle_svg(groups, 3000, title="City soviet", compact=True)
    paths = re.findall(
        r'<path class="seats" data-faction="(\w+)" data-seats="(\d+)" d="([^"]+)"', svg
    )
    assert [(key, int(n)) for key, n, _ in paths] == [
        ("left", 1800),
        ("centre", 950),
        ("vacant", 250),
    ]
    assert [d.count("h0") for _, _, d in paths] == [1800, 950, 250]
    assert "<circle" not in svg
    assert "Left 1800, Centre 950, Vacant 250 — 3000 seats" in svg
    assert len(svg) < 60_000  # the full drawing is several times larger
    assert len(hemicycle_svg(groups, 3000, title="City soviet")) > 4 * len(svg)
