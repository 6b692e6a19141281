"""The analytics charts (SVG): what they draw follows the series and the seats."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from fractions import Fraction

from smolny.domain.analytics import Lag, Target, malapportionment
from smolny.domain.federation import (
    Constituency,
    ConstituencyKind,
    Council,
    CouncilKind,
    Organization,
    RecallBasis,
)
from smolny.services.analytics import Groups, LagSeries, LagSubject, MalapportionmentView
from smolny.web.analytics import (
    _date_ticks,
    electors_chart_svg,
    lag_chart_svg,
    pp,
    stacked_bars_svg,
)


def day(month: int, d: int) -> datetime:
    return datetime(1917, month, d, tzinfo=UTC)


CEC = Council(5, 1, "Central Executive <Committee>", "cec", CouncilKind.COMMITTEE, 4, day(6, 1))
ORG = Organization(1, "Soviets", "soviets", day(3, 1))


def point(when: datetime, lh: float | None, g: float | None) -> Lag:
    return Lag(when, {1: 1}, {1: 1.0}, lh, g, None, None)


def series(points: list[Lag], elections: tuple[datetime, ...] = ()) -> LagSeries:
    subject = LagSubject(CEC, ORG, Target.BASE, "against the soviets", "the soviets", Groups(()))
    return LagSeries(subject, day(6, 1), day(11, 1), tuple(points), elections)


def test_the_lag_chart_marks_every_defined_point_and_the_bodys_elections() -> None:
    svg = lag_chart_svg(
        series(
            [
                point(day(6, 1), None, None),
                point(day(6, 20), 0.0, 0.0),
                point(day(9, 1), 31.5, 25.0),
                point(day(10, 26), 4.0, 3.0),
            ],
            elections=(day(6, 20), day(10, 26)),
        ),
        title="CEC",
    )
    lh = re.findall(r'data-index="lh" data-at="([^"]+)" data-value="([^"]+)"', svg)
    assert lh == [
        ("1917-06-20T00:00:00+00:00", "0.0000"),
        ("1917-09-01T00:00:00+00:00", "31.5000"),
        ("1917-10-26T00:00:00+00:00", "4.0000"),
    ]
    assert len(re.findall(r'data-index="g"', svg)) == 3
    assert re.findall(r'class="election" data-at="([^"]+)"', svg) == [
        "1917-06-20T00:00:00+00:00",
        "1917-10-26T00:00:00+00:00",
    ]
    assert "Central Executive &lt;Committee&gt; elected" in svg  # names are escaped
    assert ">50</text>" in svg  # the scale goes up to 50 pp for a 31.5 pp peak


def test_the_step_line_breaks_where_the_lag_is_undefined() -> None:
    points = [point(day(7, 1), 10.0, 8.0), point(day(8, 1), None, None)]
    svg = lag_chart_svg(series([*points, point(day(9, 1), 20.0, 9.0)]), title="gaps")
    path = re.search(r'class="line line-lh" d="([^"]+)"', svg)
    assert path is not None
    assert path.group(1).count("M") == 2  # two separate runs


def test_date_ticks_stay_few() -> None:
    year = _date_ticks(day(1, 1), day(12, 31))
    assert 4 <= len(year) <= 7
    assert all(re.fullmatch(r"1917-\d\d", label) for _, label in year)
    weeks = _date_ticks(day(10, 1), day(10, 20))
    assert 3 <= len(weeks) <= 8
    decade = _date_ticks(datetime(1905, 1, 1, tzinfo=UTC), datetime(1925, 1, 1, tzinfo=UTC))
    assert [label for _, label in decade][:2] == ["1905", "1910"]


def test_the_electors_chart_draws_electors_per_seat_and_the_unseated() -> None:
    basis, kind = RecallBasis.MEMBERS, ConstituencyKind.COUNCIL
    places = {
        k: Constituency(k, 4, name, kind, None, k + 10, basis, 1, 2, day(3, 1))
        for k, name in ((1, "Petrograd"), (2, "Moscow"), (3, "Kronstadt"))
    }
    result = malapportionment({1: 400, 2: 300, 3: 50}, {1: 2, 2: 3, 3: 0})
    view = MalapportionmentView(CEC, ORG, day(10, 1), result, places, {})
    svg = electors_chart_svg(view)
    assert re.findall(r'data-constituency="(\w+)" data-value="([\d.]+)"', svg) == [
        ("Petrograd", "200.0000"),
        ("Moscow", "100.0000"),
    ]
    assert "no seat (50 electors)" in svg
    assert "average 150" in svg
    assert result.ratio == Fraction(2)


def test_stacked_bars_and_formatting() -> None:
    svg = stacked_bars_svg([("Seats", [("Bolsheviks", 0.6, "#c00"), ("SRs", 0.4, "#0a0")])], "t")
    assert re.findall(r'data-share="([\d.]+)"', svg) == ["60.0000", "40.0000"]
    assert pp(None) == "—"
    assert pp(12.345, 2) == "12.35 pp"
