"""`smolny verify` recounts the boxes of member ballots, on SQLite and PostgreSQL.

A works' members elect by plurality, then by STV, then vote on a recall, all closed, and a
fourth ballot is left open with a few votes in it. Verify finds nothing; then, behind
Smolny's back, a slip is changed, taken out, slipped in or written as voting never would:
verify names the ballot, its constituency and what the box counted again gives against what
the election or recall vote recorded (or how many slips it holds against the roll of voters).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine, text

from smolny.domain.ballots import BallotKind, Marks, MemberBallot, RecallChoice
from smolny.domain.elections import Election, ElectionMethod, RecallVote
from smolny.services import ballots
from smolny.services.verify import verify_ledger
from smolny.store.uow import UnitOfWork
from tests.integration.test_member_ballots import (
    Works,
    build_works,
    delegates_now,
    open_election,
    t,
    vote,
)


@dataclass
class Voted:
    works: Works
    plurality: int  # closed: one pick each, some two, two blank
    ranked: int  # closed: STV, 3 seats
    recall: int  # closed: 14 for, 6 against, 2 abstaining
    open: int  # open, three slips in


def build_voted(uow: UnitOfWork) -> Voted:
    works = build_works(uow)
    members, candidates = works.members, works.members[:6]

    plurality = open_election(uow, works, t(10), candidates=candidates)
    for i, member in enumerate(members[:22]):
        picks = (
            () if i >= 20 else (candidates[i % 4],) if i < 16 else (candidates[0], candidates[4])
        )
        vote(uow, works, plurality, member, Marks(picks=picks), t(10, 5, i))
    ballots.close_ballot(uow, ballot_id=plurality, actor="account:1", at=t(12), seed=7)

    ranked = open_election(
        uow, works, t(13), method=ElectionMethod.SCOTTISH_STV, candidates=candidates[:5]
    )
    for i, member in enumerate(members):
        ranking = tuple(candidates[(i + k) % 5] for k in range(1 + i % 3))
        vote(uow, works, ranked, member, Marks(ranking=ranking), t(13, 5, i))
    ballots.close_ballot(uow, ballot_id=ranked, actor="account:1", at=t(13, 30), seed=3)

    seat = delegates_now(uow, works, t(14))[0]
    recall = ballots.open_ballot(
        uow,
        kind=BallotKind.RECALL,
        mandate_id=seat.id,
        closes_at=t(16),
        actor="account:1",
        at=t(15),
    ).id
    choices = [RecallChoice.FOR] * 14 + [RecallChoice.AGAINST] * 6 + [RecallChoice.ABSTAIN] * 2
    for i, (member, choice) in enumerate(zip(members, choices, strict=False)):
        vote(uow, works, recall, member, Marks(recall=choice), t(15, 1, i))
    ballots.close_ballot(uow, ballot_id=recall, actor="account:1", at=t(16))

    still_open = open_election(
        uow, works, t(17), kind=BallotKind.BY_ELECTION, candidates=members[10:13]
    )
    for i, member in enumerate(members[:3]):
        vote(uow, works, still_open, member, Marks(picks=(members[10 + i],)), t(17, 1, i))
    return Voted(works, plurality, ranked, recall, still_open)


@pytest.fixture
def voted(uow: UnitOfWork) -> Voted:
    return build_voted(uow)


def slips(engine: Engine, ballot_id: int) -> list[tuple[str, str]]:
    """(key, slip) of a box, read behind Smolny's back."""
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT key, slip FROM member_ballot_box WHERE ballot_id = :b ORDER BY key"),
            {"b": ballot_id},
        )
        return [(str(k), str(s)) for k, s in rows]


def alter(engine: Engine, statement: str, **values: object) -> None:
    with engine.begin() as connection:
        assert connection.execute(text(statement), values).rowcount == 1


def change_slip(engine: Engine, ballot_id: int, old: str, new: str) -> None:
    key = next(k for k, s in slips(engine, ballot_id) if s == old)
    alter(engine, "UPDATE member_ballot_box SET slip = :s WHERE key = :k", s=new, k=key)


def problem(uow: UnitOfWork) -> str:
    result = verify_ledger(uow)
    assert not result.ok
    assert result.problem is not None
    return result.problem


def recorded_election(uow: UnitOfWork, ballot_id: int) -> Election:
    with uow:
        ballot = uow.repo.get(MemberBallot, ballot_id)
        assert ballot.election_id is not None
        return uow.repo.get(Election, ballot.election_id)


def test_verify_is_ok_once_members_have_voted_and_ballots_closed(
    uow: UnitOfWork, voted: Voted
) -> None:
    result = verify_ledger(uow)
    assert result.ok, result.problem
    assert ballots.verify_boxes(uow) == []
    with uow:
        closed = [uow.repo.get(MemberBallot, b) for b in (voted.plurality, voted.ranked)]
        recall = uow.repo.get(MemberBallot, voted.recall)
        assert uow.repo.get(MemberBallot, voted.open).closed_at is None
    assert [b.slips for b in closed] == [22, 24]
    assert all(b.election_id is not None for b in closed)
    assert recall.recall_vote_id is not None


def test_a_changed_choice_in_a_plurality_box_names_the_ballot_the_candidate_and_the_election(
    uow: UnitOfWork, engine: Engine, voted: Voted
) -> None:
    first, sixth = voted.works.members[0], voted.works.members[5]
    election = recorded_election(uow, voted.plurality)
    ids = election.result["candidate_ids"]
    tallies = {ids[name]: n for name, n in election.result["rounds"][0]["tallies"].items()}
    assert sixth not in tallies  # no one marked the sixth candidate
    change_slip(engine, voted.plurality, str(first), str(sixth))

    found = problem(uow)
    assert found == (
        f"the tables: member ballot {voted.plurality} in Works: counting its box again gives "
        f"Worker 1 {tallies[first] - 1} votes, not the {tallies[first]} recorded by "
        f"election {election.id}"
    )
    assert ballots.verify_boxes(uow) == [found.removeprefix("the tables: ")]


def test_a_changed_ranking_in_an_stv_box_names_the_ranking(
    uow: UnitOfWork, engine: Engine, voted: Voted
) -> None:
    election = recorded_election(uow, voted.ranked)
    recorded = Counter({tuple(r): n for n, r in election.result["ballots"]})
    old = next(s for _, s in slips(engine, voted.ranked) if s.count(",") == 1)
    a, b = (int(x) for x in old.split(","))
    change_slip(engine, voted.ranked, old, f"{b},{a}")

    again = recorded.copy()
    again[(a, b)] -= 1
    again[(b, a)] += 1
    first = min((a, b), (b, a))
    names = {mid: name for name, mid in election.result["candidate_ids"].items()}
    assert problem(uow) == (
        f"the tables: member ballot {voted.ranked} in Works: counting its box again gives "
        f"{again[first]} ballots ranking {names[first[0]]} > {names[first[1]]}, not the "
        f"{recorded[first]} recorded by election {election.id}"
    )


def test_a_changed_recall_choice_names_the_totals_and_the_recall_vote(
    uow: UnitOfWork, engine: Engine, voted: Voted
) -> None:
    change_slip(engine, voted.recall, "against", "for")
    with uow:
        recall_vote = uow.repo.get(MemberBallot, voted.recall).recall_vote_id
        assert uow.repo.get(RecallVote, recall_vote or 0).votes_for == 14
    assert problem(uow) == (
        f"the tables: member ballot {voted.recall} in Works: counting its box again gives "
        "15 for, 5 against, 2 abstaining, not the 14 for, 6 against, 2 abstaining of recall "
        f"vote {recall_vote}"
    )


def test_a_changed_choice_that_keeps_every_total_is_still_a_slip_voting_never_wrote(
    uow: UnitOfWork, engine: Engine, voted: Voted
) -> None:
    first, fifth = voted.works.members[0], voted.works.members[4]
    change_slip(engine, voted.plurality, f"{first},{fifth}", f"{fifth},{first}")
    assert problem(uow) == (
        f"the tables: member ballot {voted.plurality} in Works: its box holds a slip "
        f"'{fifth},{first}' that voting would not have written (it would be '{first},{fifth}')"
    )
    change_slip(engine, voted.plurality, f"{fifth},{first}", "999")
    assert "(member 999 is not standing in this ballot)" in problem(uow)


def test_a_deleted_slip_names_the_box_against_the_roll_of_voters(
    uow: UnitOfWork, engine: Engine, voted: Voted
) -> None:
    key, _ = slips(engine, voted.plurality)[0]
    alter(engine, "DELETE FROM member_ballot_box WHERE key = :k", k=key)
    assert problem(uow) == (
        f"the tables: member ballot {voted.plurality} in Works: its box holds 21 slips but "
        "22 members voted in it"
    )


@pytest.mark.parametrize("which", ["closed", "open"])
def test_an_extra_slip_names_the_box_against_the_roll_of_voters(
    uow: UnitOfWork, engine: Engine, voted: Voted, which: str
) -> None:
    ballot_id = voted.recall if which == "closed" else voted.open
    before = len(slips(engine, ballot_id))
    alter(
        engine,
        "INSERT INTO member_ballot_box (ballot_id, key, slip) VALUES (:b, :k, :s)",
        b=ballot_id,
        k="f" * 32,
        s="for" if which == "closed" else str(voted.works.members[10]),
    )
    assert problem(uow) == (
        f"the tables: member ballot {ballot_id} in Works: its box holds {before + 1} slips "
        f"but {before} members voted in it"
    )


def test_a_voter_struck_off_the_roll_is_a_row_missing_from_the_tables(
    uow: UnitOfWork, engine: Engine, voted: Voted
) -> None:
    alter(
        engine,
        "DELETE FROM member_ballot_voters WHERE ballot_id = :b AND member_id = :m",
        b=voted.plurality,
        m=voted.works.members[0],
    )
    found = problem(uow)
    assert found.startswith("event #")
    assert "is missing from the tables" in found


def test_a_ballot_that_elected_no_one_must_have_a_box_that_marks_no_one(
    uow: UnitOfWork, engine: Engine
) -> None:
    works = build_works(uow)
    ballot_id = open_election(uow, works, t(10))
    vote(uow, works, ballot_id, works.members[0], Marks(), t(10, 1))
    ballots.close_ballot(uow, ballot_id=ballot_id, actor="account:1", at=t(12))
    assert verify_ledger(uow).ok
    # The blank slip made to mark a candidate.
    change_slip(engine, ballot_id, "", str(works.members[1]))
    assert problem(uow) == (
        f"the tables: member ballot {ballot_id} in Works: counting its box again marks "
        "candidates, but its close elected no one"
    )
    # Now a second slip: the box against the roll of voters comes first.
    alter(
        engine,
        "INSERT INTO member_ballot_box (ballot_id, key, slip) VALUES (:b, :k, :s)",
        b=ballot_id,
        k="0" * 32,
        s="",
    )
    assert problem(uow) == (
        f"the tables: member ballot {ballot_id} in Works: its box holds 2 slips but 1 member "
        "voted in it"
    )
