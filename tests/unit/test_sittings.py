"""The pure rules of sittings: quorum, presence over time, motion texts, faction lines, and
the projection of sitting events (replayed in memory, as `smolny verify` does)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from smolny.domain.events import Recorded
from smolny.domain.federation import Majority
from smolny.domain.mandates import Mandate, MandateEnd
from smolny.domain.projection import MemoryRecords
from smolny.domain.sittings import (
    Attendance,
    Choice,
    FactionLine,
    Motion,
    MotionStatus,
    MotionTabled,
    Outcome,
    Presence,
    SecretBallotCast,
    SittingConvened,
    Vote,
    VoteClosed,
    VoteMode,
    VoteOpened,
    Voter,
    first_loss,
    line_report,
    lines_in_force,
    presence_timeline,
    present_stays,
    quorum_needed,
    split_choices,
    text_at,
)

T0 = datetime(2026, 5, 12, 18, tzinfo=UTC)


def m(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def mandate(
    id: int, member: int, faction: int | None = 1, *, start: int = -600, end: int | None = None
) -> Mandate:
    return Mandate(
        id=id,
        council_id=1,
        member_id=member,
        faction_id=faction,
        section_id=None,
        constituency_id=1,
        origin_council_id=None,
        election_id=1,
        valid_from=m(start),
        valid_to=m(end) if end is not None else None,
        end_reason=MandateEnd.RECALL if end is not None else None,
    )


def stay(id: int, member: int, seat: int, arrived: int, left: int | None = None) -> Attendance:
    return Attendance(id, 1, member, seat, m(arrived), m(left) if left is not None else None)


# -- quorum ------------------------------------------------------------------------------------


def test_the_quorum_is_more_than_the_share_of_the_seated() -> None:
    half = Fraction(1, 2)
    assert [quorum_needed(half, n) for n in (0, 1, 2, 7, 8, 460)] == [1, 1, 2, 4, 5, 231]
    assert quorum_needed(Fraction(2, 3), 9) == 7  # more than 6
    assert quorum_needed(Fraction(2, 3), 8) == 6  # more than 5.33
    assert quorum_needed(Fraction(0), 8) == 1


def test_presence_follows_arrivals_walkouts_returns_and_a_recall() -> None:
    scope = [mandate(i, 100 + i) for i in range(1, 8)] + [mandate(8, 108, end=30)]
    stays = [stay(i, 100 + i, i, 1) for i in range(1, 9)]
    # Three walk out at 10 and come back at 20; member 108 is recalled at 30.
    stays = [s if s.id > 3 else stay(s.id, s.member_id, s.mandate_id, 1, 10) for s in stays]
    stays += [stay(10 + i, 100 + i, i, 20) for i in range(1, 4)]
    points = presence_timeline(stays, scope, Fraction(1, 2), m(0), m(40))
    assert [(p.at, p.present, p.seated, p.needed) for p in points] == [
        (m(0), 0, 8, 5),
        (m(1), 8, 8, 5),
        (m(10), 5, 8, 5),
        (m(20), 8, 8, 5),
        (m(30), 7, 7, 4),
    ]
    assert first_loss(points) == points[0]
    assert first_loss(points[1:]) is None
    by_id = {x.id: x for x in scope}
    assert len(present_stays(stays, by_id, m(15))) == 5
    assert len(present_stays(stays, by_id, m(35))) == 7  # the recalled delegate is gone


def test_a_walkout_below_the_quorum_is_the_first_loss() -> None:
    scope = [mandate(i, i) for i in range(1, 9)]
    stays = [stay(i, i, i, 0, 5 if i <= 2 else None) for i in range(1, 7)]
    points = presence_timeline(stays, scope, Fraction(1, 2), m(0), m(10))
    lost = first_loss(points)
    assert lost == Presence(m(5), 4, 8, 5)
    assert not lost.quorate


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 60), st.integers(1, 60), st.integers(0, 5)),
        max_size=12,
    ),
    st.lists(
        st.tuples(st.integers(-10, 60), st.one_of(st.none(), st.integers(1, 80))),
        min_size=6,
        max_size=6,
    ),
    st.integers(0, 60),
    st.integers(0, 60),
)
def test_the_timeline_agrees_with_counting_at_every_moment(
    visits: list[tuple[int, int, int]],
    seats: list[tuple[int, int | None]],
    a: int,
    b: int,
) -> None:
    start, end = m(min(a, b)), m(max(a, b))
    scope = [
        mandate(i, i, start=s, end=None if e is None else max(e, s + 1))
        for i, (s, e) in enumerate(seats)
    ]
    stays = [
        stay(n, seat, seat, arrive, arrive + length)
        for n, (arrive, length, seat) in enumerate(visits)
    ]
    by_id = {x.id: x for x in scope}
    points = presence_timeline(stays, scope, Fraction(1, 2), start, end)
    assert points[0].at == start
    assert all(start <= p.at <= end for p in points)
    for point in points:
        seated = sum(1 for x in scope if x.active_at(point.at))
        present = len(present_stays(stays, by_id, point.at))
        assert (point.present, point.seated) == (present, seated)
    # Between two points nothing changes.
    for minute in range(int((end - start).total_seconds() // 60) + 1):
        moment = start + timedelta(minutes=minute)
        last = [p for p in points if p.at <= moment][-1]
        assert last.present == len(present_stays(stays, by_id, moment))


# -- motions and lines -------------------------------------------------------------------------


def test_a_motions_text_as_of_a_moment_follows_its_carried_amendments() -> None:
    motion = Motion(1, 1, 1, None, None, "Power", "C", "A", None, 1, None, None, m(0))
    adopted = [(m(20), "C"), (m(10), "B")]
    assert [text_at(motion, adopted, m(x)) for x in (5, 10, 15, 25)] == ["A", "B", "B", "C"]


def test_the_latest_line_of_a_faction_is_in_force() -> None:
    lines = [
        FactionLine(1, 1, 7, Choice.FOR, m(1)),
        FactionLine(2, 1, 7, Choice.AGAINST, m(5)),
        FactionLine(3, 1, 8, Choice.ABSTAIN, m(2)),
    ]
    assert {f: x.line for f, x in lines_in_force(lines, m(3)).items()} == {
        7: Choice.FOR,
        8: Choice.ABSTAIN,
    }
    assert lines_in_force(lines, m(6))[7].line is Choice.AGAINST
    assert lines_in_force(lines, m(0)) == {}


def test_a_line_report_separates_breakers_from_those_who_did_not_vote() -> None:
    # Faction 1 holds seats 1-5 (members 11-15); seat 6 (member 16) is faction 2's.
    seated = [mandate(i, 10 + i, faction=1) for i in range(1, 6)] + [mandate(6, 16, faction=2)]
    voters = [
        Voter(1, 1, 11, 1, m(1), Choice.FOR),
        Voter(2, 1, 12, 2, m(1), Choice.AGAINST),
        Voter(3, 1, 13, 3, m(2), Choice.ABSTAIN),
        Voter(4, 1, 16, 6, m(2), Choice.AGAINST),  # another faction's: not a breaker
    ]
    factions = {x.id: x.faction_id for x in seated}
    report = line_report(
        FactionLine(1, 1, 1, Choice.FOR, m(0)),
        voters,
        factions,
        seated,
        present_member_ids={11, 12, 13, 14, 16},
    )
    assert report.followed == (11,)
    assert report.broke == ((12, Choice.AGAINST), (13, Choice.ABSTAIN))
    assert report.did_not_vote == (14,)
    assert report.absent == (15,)
    assert split_choices(voters) == {
        Choice.FOR: [11],
        Choice.AGAINST: [12, 16],
        Choice.ABSTAIN: [13],
    }


def test_a_secret_ballot_carries_no_choice_and_none_is_projected() -> None:
    assert "choice" not in SecretBallotCast.__dataclass_fields__
    secret = Voter(1, 1, 11, 1, m(1))
    assert split_choices([secret]) == {Choice.FOR: [], Choice.AGAINST: [], Choice.ABSTAIN: []}


# -- the projection ----------------------------------------------------------------------------


def test_a_carried_amendment_replaces_its_motions_text_when_replayed() -> None:
    records = MemoryRecords()
    events = [
        SittingConvened(1, 1, 1, "Sitting", date(2026, 5, 12), (), None),
        MotionTabled(1, 1, 1, None, None, "Power", "Old text.", None, None, 1, None),
        MotionTabled(2, 1, 1, None, 1, "Amendment", "New text.", Majority.SIMPLE, None, 2, None),
        VoteOpened(1, 2, 1, VoteMode.SECRET, Majority.SIMPLE),
        SecretBallotCast(1, 1, 11, 1),
        VoteClosed(1, 2, 5, 3, 0, 8, 8, 8, 5, 5, Outcome.CARRIED, "carried", 1, "New text."),
    ]
    for seq, event in enumerate(events, start=1):
        records.apply(Recorded(seq, m(seq), "test", 1, event))
    amended = records.get(Motion, 1)
    assert (amended.text, amended.original_text, amended.status) == (
        "New text.",
        "Old text.",
        MotionStatus.PENDING,
    )
    amendment = records.get(Motion, 2)
    assert (amendment.status, amendment.decided_at) == (MotionStatus.CARRIED, m(6))
    vote = records.get(Vote, 1)
    assert (vote.yes, vote.no, vote.outcome, vote.adopted_text) == (
        5,
        3,
        Outcome.CARRIED,
        "New text.",
    )
    assert records.get(Voter, 1).choice is None


def test_a_void_vote_leaves_its_motion_pending() -> None:
    records = MemoryRecords()
    events = [
        SittingConvened(1, 1, 1, "Sitting", date(2026, 5, 12), (), None),
        MotionTabled(1, 1, 1, None, None, "Power", "Text.", None, None, 1, None),
        VoteOpened(1, 1, 1, VoteMode.ROLL_CALL, Majority.SIMPLE),
        VoteClosed(1, 1, 3, 0, 0, 6, 8, 8, 5, 2, Outcome.VOID, "void: quorum lost", None, None),
    ]
    for seq, event in enumerate(events, start=1):
        records.apply(Recorded(seq, m(seq), "test", 1, event))
    assert records.get(Motion, 1).status is MotionStatus.PENDING
    assert records.get(Vote, 1).outcome is Outcome.VOID
