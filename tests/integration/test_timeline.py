"""The timeline service on the story of tests/builders_timeline.py: the chronicle, every
body at a moment, the seats by faction over the chronicle and the executive's lag."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from smolny.domain.timeline import SeatSeries
from smolny.moments import parse_moment
from smolny.services import federation
from smolny.services.timeline import (
    TimelineView,
    chronicled_organizations,
    seat_series_by_council,
    timeline,
    timeline_span,
)
from smolny.store.uow import UnitOfWork
from tests.builders_timeline import ENTRIES, LAST_CHANGE, Story, build_story, elect_places
from tests.conftest import at


def by_name(view: TimelineView, story: Story) -> dict[str, dict[str, int]]:
    """Each body's filled seats by faction name."""
    names = {f.id: name for name, f in story.factions.items()}
    return {
        b.council.name: {names[g]: n for g, n in b.seats.factions.items() if g is not None}
        for b in view.bodies
    }


def steps(series: SeatSeries, story: Story) -> list[tuple[str, dict[str, int]]]:
    names = {f.id: name for name, f in story.factions.items()}
    return [
        (s.at.date().isoformat(), {names[g]: n for g, n in s.seats.items() if g is not None})
        for s in series.steps
    ]


@contextmanager
def counting_queries(uow: UnitOfWork) -> Iterator[list[str]]:
    """The SELECT statements run on the unit of work's engine in the block."""
    statements: list[str] = []

    def count(*args: Any) -> None:
        if str(args[2]).lstrip().upper().startswith("SELECT"):  # not SQLite's BEGIN
            statements.append(str(args[2]))

    event.listen(uow.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(uow.engine, "before_cursor_execute", count)


def test_the_bodies_at_a_moment_in_federation_order(uow: UnitOfWork) -> None:
    story = build_story(uow)
    july = timeline(uow, story.organization.id, parse_moment("1917-07-01"))
    assert [(b.council.name, b.depth) for b in july.bodies] == [
        ("Congress", 0),
        ("Executive", 1),
        ("City A", 1),
        ("City B", 1),
    ]
    assert [b.above.name if b.above else None for b in july.bodies] == [
        None,
        "Congress",
        "Congress",
        "Congress",
    ]
    assert by_name(july, story) == {
        "Congress": {"Centre": 6, "Left": 2},
        "Executive": {"Centre": 3, "Left": 1},
        "City A": {"Centre": 7, "Left": 3},
        "City B": {"Centre": 4, "Left": 1},
    }
    september = timeline(uow, story.organization.id, parse_moment("1917-09-10"))
    assert by_name(september, story)["City A"] == {"Left": 8, "Centre": 2}
    assert by_name(september, story)["Congress"] == {"Centre": 6, "Left": 2}  # not yet
    city = next(b for b in september.bodies if b.council.name == "City A")
    assert [(p.section.name if p.section else None, p.seats.seats) for p in city.sections] == [
        ("Workers", 6),
        ("Soldiers", 4),
    ]
    left = story.factions["Left"].id
    assert [p.seats.factions[left] for p in city.sections] == [5, 3]
    assert city.seats.seats == 10
    assert city.seats.vacant == 0


def test_the_chronicle_current_at_a_moment(uow: UnitOfWork) -> None:
    story = build_story(uow)
    view = timeline(uow, story.organization.id, parse_moment("1917-09-10"))
    assert [e.title for e in view.entries] == list(ENTRIES)
    assert view.current is not None
    assert view.current.title == "The cities turn Left"
    assert [e.title for e in view.earlier] == ["The congress meets", "June: the cities vote"]
    assert view.previous is not None
    assert view.previous.title == "The cities turn Left"
    assert view.next is not None
    assert view.next.title == "The second congress"
    # On the day of an entry, the previous one is the one before it.
    on_the_day = timeline(uow, story.organization.id, parse_moment("1917-09-01"))
    assert on_the_day.current is not None
    assert on_the_day.current.title == "The cities turn Left"
    assert on_the_day.previous is not None
    assert on_the_day.previous.title == "The congress meets"
    first, count = view.changes_after(view.entries[0])
    assert (first, count) == (view.entries[0].seq + 1, 3)  # the three June elections
    assert view.current.sources[1].url == ""
    before = timeline(uow, story.organization.id, parse_moment("1917-05-20"))
    assert before.current is None
    assert before.next is not None
    assert before.next.title == "June: the cities vote"
    # Before the chronicle the cities have their seats, none filled yet.
    assert [(b.council.name, b.seats.seats, b.seats.filled) for b in before.holding_seats()] == [
        ("City A", 10, 0),
        ("City B", 5, 0),
    ]


def test_the_span_runs_from_the_first_entry_to_the_last_change(uow: UnitOfWork) -> None:
    story = build_story(uow)
    span = timeline_span(uow, story.organization.id)
    assert span.start == ENTRIES["June: the cities vote"][0]
    assert span.end == LAST_CHANGE
    view = timeline(uow, story.organization.id)
    assert view.at.date() == LAST_CHANGE.date()  # by default, the last day
    assert by_name(view, story)["Executive"] == {"Left": 3, "Centre": 1}
    # An organization without a chronicle spans from its creation; it has no timeline link.
    other = federation.create_organization(uow, name="Quiet", actor="test", at=at("2026-01-01"))
    assert timeline_span(uow, other.id).start == other.created_at
    assert [o.name for o in chronicled_organizations(uow)] == ["Timeline Union"]
    quiet = timeline(uow, other.id)
    assert quiet.entries == ()
    assert quiet.bodies == ()


def test_the_seats_by_faction_over_the_chronicle(uow: UnitOfWork) -> None:
    story = build_story(uow)
    view = timeline(uow, story.organization.id)
    series = {s.title: s for s in view.series}
    assert list(series) == [
        "Congress",
        "Executive",
        "City A",
        "City A: Workers",
        "City A: Soldiers",
        "City B",
    ]
    assert all(s.main for s in series.values())
    assert steps(series["Executive"].series, story) == [
        ("1917-06-10", {}),
        ("1917-06-17", {"Centre": 3, "Left": 1}),
        # it serves on through the congress's re-election, until the congress elects it anew
        ("1917-10-22", {"Left": 3, "Centre": 1}),
    ]
    assert steps(series["City A: Workers"].series, story) == [
        ("1917-06-10", {}),
        ("1917-06-11", {"Centre": 4, "Left": 2}),
        ("1917-09-02", {"Left": 5, "Centre": 1}),
    ]


def test_the_executive_lags_behind_the_cities_until_it_is_elected_anew(uow: UnitOfWork) -> None:
    story = build_story(uow)
    view = timeline(uow, story.organization.id)
    (lag,) = view.lags
    assert lag.subject.council.name == "Executive"
    assert lag.end > LAST_CHANGE  # drawn on a little past the last change
    points = {p.at.date().isoformat(): p.loosemore_hanby for p in lag.points}
    assert points["1917-06-17"] == 0.0
    assert points["1917-09-04"] == 55.0  # the cities Left 80%, the executive 25%
    assert points["1917-10-22"] == 5.0
    assert max(v for v in points.values() if v is not None) == 55.0


def test_the_series_of_many_councils_take_one_query(uow: UnitOfWork) -> None:
    story = build_story(uow)
    ids = [story.congress.id, story.executive.id, *(c.id for c in story.cities.values())]
    start, end = at("1917-06-01"), at("1917-11-01")
    with counting_queries(uow) as statements:
        found = seat_series_by_council(uow, ids, start, end)
    assert len(statements) == 1
    assert set(found) == set(ids)
    assert steps(found[story.congress.id], story)[-1] == ("1917-10-21", {"Left": 6, "Centre": 2})
    # The page reads in a fixed number of queries, however many mandates and changes.
    with counting_queries(uow) as statements:
        timeline(uow, story.organization.id)
    before = len(statements)
    elect_places(uow, story, {"Depot": {"Centre": 6, "Left": 4}}, at("1917-10-23"))
    elect_places(uow, story, {"Factory": {"Centre": 6, "Left": 6}}, at("1917-10-24"))
    with counting_queries(uow) as statements:
        view = timeline(uow, story.organization.id)
    assert len(statements) == before
    assert by_name(view, story)["City B"] == {"Centre": 3, "Left": 2}  # read anew, not kept
    # Moving to another day with the ledger unchanged recounts only the seats of that day.
    with counting_queries(uow) as statements:
        july = timeline(uow, story.organization.id, parse_moment("1917-07-01"))
    assert len(statements) <= 3
    assert by_name(july, story)["City B"] == {"Centre": 4, "Left": 1}
    assert july.series == view.series
