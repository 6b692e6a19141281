"""Member ballots on SQLite and PostgreSQL: a constituency's members elect their delegates
and recall them online, in secret.

The slips counted at the close are what the ledger then records, through the same services
as an operator's totals (`delegates-elected`, `recall-voted`); a member votes once, however
many votes they send at once; a non-member, an administrator and a member acting for
another are refused with the reason; and after ballots of every kind, nothing in the
database or the ledger links a slip to its voter.
"""

from __future__ import annotations

import json
import random
import re
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, func, insert, select, text
from sqlalchemy.exc import IntegrityError, OperationalError

from smolny.domain.apportionment import TieRule
from smolny.domain.ballots import BallotKind, BallotStatus, Marks, RecallChoice
from smolny.domain.elections import (
    CandidateTally,
    ElectionKind,
    ElectionMethod,
    RecallVote,
    plurality,
)
from smolny.domain.errors import AlreadyExists, Forbidden, InvalidInput, RuleViolation
from smolny.domain.mandates import Mandate, MandateEnd
from smolny.domain.rights import Actor
from smolny.domain.seat_rules import RatioRule, TieBreak
from smolny.domain.sittings import Choice, VoteMode
from smolny.services import ballots, elections, federation, petitions, sittings
from smolny.services.verify import verify_ledger
from smolny.store import ballots as store
from smolny.store.uow import UnitOfWork
from tests.builders import ACTOR
from tests.integration.test_secret_ballots import (
    _attempt_all,
    agreement,
    chance_bound,
    leaves,
    member_columns,
    members_in,
    read_everything,
)

DAY = date(2026, 5, 12)
SIZE = 24
RECALL_WORDS = {c.value for c in RecallChoice}


def t(hour: int, minute: int = 0, second: int = 0, day: int = 0) -> datetime:
    return datetime(DAY.year, DAY.month, DAY.day, hour, minute, second, tzinfo=UTC) + timedelta(
        days=day
    )


# -- a works of 24 members with 3 delegates, and a depot beside it -----------------------------


@dataclass
class Works:
    organization_id: int
    council_id: int
    works_id: int
    depot_id: int
    members: list[int]  # the works' members
    names: dict[int, str]
    outsider: int  # a member of the depot only

    @property
    def admin(self) -> Actor:
        return Actor(self.organization_id, administrator=True, account_id=1)

    def member(self, member_id: int) -> Actor:
        return Actor(self.organization_id, member_id=member_id, account_id=100 + member_id)


def build_works(uow: UnitOfWork) -> Works:
    founded = datetime(2026, 1, 5, 12, tzinfo=UTC)
    org = federation.create_organization(uow, name="Ballot Union", actor=ACTOR, at=founded)
    council = federation.create_council(
        uow, organization_id=org.id, name="Assembly", actor=ACTOR, at=founded
    )
    works = federation.create_constituency(
        uow, council_id=council.id, name="Works", actor=ACTOR, at=founded
    )
    depot = federation.create_constituency(
        uow, council_id=council.id, name="Depot", actor=ACTOR, at=founded
    )
    members = [
        federation.enroll_member(
            uow,
            organization_id=org.id,
            name=f"Worker {i}",
            constituency_ids=[works.id],
            actor=ACTOR,
            at=founded,
        )
        for i in range(1, SIZE + 1)
    ]
    outsider = federation.enroll_member(
        uow,
        organization_id=org.id,
        name="Depot hand",
        constituency_ids=[depot.id],
        actor=ACTOR,
        at=founded,
    )
    elections.apportion_seats(
        uow, council_id=council.id, rule=RatioRule(per=8), actor=ACTOR, at=founded
    )
    elections.elect_delegates(
        uow,
        constituency_id=works.id,
        method=ElectionMethod.PLURALITY,
        candidates=[CandidateTally(m.id, SIZE - i) for i, m in enumerate(members[:3])],
        actor=ACTOR,
        at=datetime(2026, 2, 1, 12, tzinfo=UTC),
    )
    return Works(
        org.id,
        council.id,
        works.id,
        depot.id,
        [m.id for m in members],
        {m.id: m.name for m in members},
        outsider.id,
    )


@pytest.fixture
def works(uow: UnitOfWork) -> Works:
    return build_works(uow)


def delegates_now(uow: UnitOfWork, works: Works, at: datetime) -> list[Mandate]:
    with uow:
        return sorted(
            uow.repo.mandates_at(at, constituency_id=works.works_id), key=lambda m: m.member_id
        )


def kinds(engine: Engine) -> Counter[str]:
    with engine.connect() as connection:
        return Counter(k for (k,) in connection.execute(text("SELECT kind FROM events")))


def open_election(
    uow: UnitOfWork,
    works: Works,
    start: datetime,
    *,
    method: ElectionMethod = ElectionMethod.PLURALITY,
    candidates: Sequence[int] | None = None,
    kind: BallotKind = BallotKind.ELECTION,
) -> int:
    ballot = ballots.open_ballot(
        uow,
        kind=kind,
        constituency_id=works.works_id,
        method=method,
        candidate_ids=list(candidates if candidates is not None else works.members[:6]),
        closes_at=start + timedelta(hours=2),
        actor="account:1",
        at=start,
        acting=works.admin,
    )
    return ballot.id


def vote(
    uow: UnitOfWork, works: Works, ballot_id: int, member: int, marks: Marks, at: datetime
) -> ballots.Receipt:
    return ballots.cast_ballot(
        uow,
        ballot_id=ballot_id,
        member_id=member,
        marks=marks,
        actor=f"account:{100 + member}",
        at=at,
        acting=works.member(member),
    )


# -- 1. counted slips are the results recorded -------------------------------------------------


def test_a_plurality_election_s_slips_counted_are_the_election_recorded(
    uow: UnitOfWork, engine: Engine, works: Works
) -> None:
    before = delegates_now(uow, works, t(9))
    ballot_id = open_election(uow, works, t(10))
    candidates = works.members[:6]
    rng = random.Random(5)
    cast: list[tuple[int, ...]] = []
    for i, member in enumerate(rng.sample(works.members, k=SIZE - 2)):
        picks = tuple(rng.sample(candidates, k=rng.choice((0, 1, 2, 3, 3, 3))))
        receipt = vote(uow, works, ballot_id, member, Marks(picks=picks), t(10, 5, i))
        assert (receipt.voted, receipt.electors) == (i + 1, SIZE)
        cast.append(picks)

    # While open: how many have voted, never a count; closing early is refused.
    view = ballots.ballot_view(uow, ballot_id, at=t(11))
    assert (view.status, view.voted, view.electors) == (BallotStatus.OPEN, SIZE - 2, SIZE)
    assert (view.election, view.tallies, view.elected) == (None, [], [])
    with pytest.raises(RuleViolation, match=r"22 of 24 electors have voted: it closes when"):
        ballots.close_ballot(uow, ballot_id=ballot_id, actor="account:1", at=t(11))

    closed = ballots.close_ballot(
        uow, ballot_id=ballot_id, actor="account:1", at=t(12, 1), acting=works.admin, seed=7
    )
    counted = Counter(c for picks in cast for c in picks)
    assert (closed.slips, closed.blank) == (SIZE - 2, sum(1 for p in cast if not p))
    assert closed.election_id is not None
    view = ballots.ballot_view(uow, ballot_id, at=t(12, 2))
    election = view.election
    assert election is not None
    assert (election.kind, election.method, election.seats) == (
        ElectionKind.DELEGATES,
        ElectionMethod.PLURALITY,
        3,
    )
    ids = election.result["candidate_ids"]
    recorded = {ids[name]: n for name, n in election.result["rounds"][0]["tallies"].items()}
    assert recorded == {c: n for c, n in counted.items() if n > 0}
    expected = plurality(dict(recorded), 3, TieBreak((TieRule.LOT,), seed=7), works.names).elected
    assert [m.id for m in view.elected] == list(expected)
    assert [(m.id, n) for m, n in view.tallies] == sorted(
        ((c, counted[c]) for c in candidates), key=lambda pair: -pair[1]
    )
    # The seats changed hands as an operator's election would have them.
    after = delegates_now(uow, works, t(12, 2))
    assert sorted(m.member_id for m in after) == sorted(expected)
    with uow:
        ended = [uow.repo.get(Mandate, m.id) for m in before]
    assert all(m.end_reason is MandateEnd.TERM for m in ended)
    found = kinds(engine)
    assert found["member-ballot-opened"] == found["member-ballot-closed"] == 1
    assert found["member-ballot-cast"] == SIZE - 2
    assert found["delegates-elected"] == 2  # February's, by the operator, and this one
    assert verify_ledger(uow).ok
    assert ballots.verify_boxes(uow) == []


def test_ranked_slips_elect_by_stv_and_the_ledger_holds_them_grouped(
    uow: UnitOfWork, works: Works
) -> None:
    candidates = works.members[:5]
    ballot_id = open_election(
        uow, works, t(10), method=ElectionMethod.SCOTTISH_STV, candidates=candidates
    )
    rng = random.Random(17)
    cast = []
    for i, member in enumerate(works.members):
        ranking = tuple(rng.sample(candidates, k=rng.randint(1, 5)))
        vote(uow, works, ballot_id, member, Marks(ranking=ranking), t(10, 5, i))
        cast.append(ranking)
    # Everyone has voted: the ballot may close before its period ends.
    closed = ballots.close_ballot(
        uow, ballot_id=ballot_id, actor="account:1", at=t(10, 30), acting=works.admin, seed=3
    )
    view = ballots.ballot_view(uow, closed.id, at=t(10, 31))
    assert view.election is not None
    recorded = view.election.result["ballots"]
    assert Counter({tuple(r): n for n, r in recorded}) == Counter(cast)
    assert [n for n, _ in recorded] == sorted((n for n, _ in recorded), reverse=True)
    assert len(view.elected) == 3
    assert view.election.result["rule"].startswith("STV (Scottish rules), 3 seats")
    assert verify_ledger(uow).ok


def test_a_recall_the_petition_called_for_carried_by_the_members_ends_the_mandate(
    uow: UnitOfWork, engine: Engine, works: Works
) -> None:
    target = delegates_now(uow, works, t(9))[0]
    opener, *signers = [m for m in works.members if m != target.member_id][:6]
    petition = petitions.open_petition(
        uow,
        mandate_id=target.id,
        opened_by=opener,
        reason="Voted against the strike",
        actor=f"account:{100 + opener}",
        at=t(9),
        acting=works.member(opener),
    )
    assert petition.threshold == 5  # a fifth of 24, rounded up
    for i, member in enumerate(signers[:4]):
        petition = petitions.sign_petition(
            uow,
            petition_id=petition.id,
            member_id=member,
            actor=f"account:{100 + member}",
            at=t(9, 10 + i),
            acting=works.member(member),
        )
    assert petition.reached_at is not None
    overview = ballots.ballots_overview(uow, works.organization_id, at=t(9, 30))
    assert [a.petition.id for a in overview.awaiting] == [petition.id]

    recall = ballots.open_ballot(
        uow,
        kind=BallotKind.RECALL,
        mandate_id=target.id,
        closes_at=t(12),
        actor="account:1",
        at=t(10),
        acting=works.admin,
    )
    assert (recall.petition_id, recall.constituency_id) == (petition.id, works.works_id)
    assert recall.title == f"Recall of {works.names[target.member_id]} (Works)"
    choices = [RecallChoice.FOR] * 14 + [RecallChoice.AGAINST] * 6 + [RecallChoice.ABSTAIN] * 2
    for i, (member, choice) in enumerate(zip(works.members, choices, strict=False)):
        vote(uow, works, recall.id, member, Marks(recall=choice), t(10, 1, i))
    closed = ballots.close_ballot(
        uow, ballot_id=recall.id, actor="account:1", at=t(12), acting=works.admin
    )
    with uow:
        result = uow.repo.get(RecallVote, closed.recall_vote_id or 0)
        ended = uow.repo.get(Mandate, target.id)
    assert (result.votes_for, result.votes_against, result.abstentions) == (14, 6, 2)
    assert (result.electorate, result.carried) == (SIZE, True)
    assert (ended.valid_to, ended.end_reason) == (t(12), MandateEnd.RECALL)
    voted = petitions.petition_view(uow, petition.id, at=t(12, 1))
    assert voted.vote is not None
    assert voted.vote.id == result.id
    assert (closed.slips, closed.blank) == (22, 2)
    found = kinds(engine)
    assert (found["recall-voted"], found["recall-petition-voted"]) == (1, 1)
    # The seat is vacant: a by-election among members, on the same page.
    by = open_election(
        uow, works, t(13), kind=BallotKind.BY_ELECTION, candidates=works.members[10:13]
    )
    with uow:
        assert uow.repo.get(ballots.MemberBallot, by).seats == 1
    assert verify_ledger(uow).ok
    assert ballots.verify_boxes(uow) == []


def test_a_ballot_no_one_marked_elects_no_one_and_the_delegates_stay(
    uow: UnitOfWork, works: Works
) -> None:
    before = delegates_now(uow, works, t(9))
    ballot_id = open_election(uow, works, t(10))
    vote(uow, works, ballot_id, works.members[0], Marks(), t(10, 1))
    closed = ballots.close_ballot(uow, ballot_id=ballot_id, actor=ACTOR, at=t(12))
    assert (closed.election_id, closed.slips, closed.blank) == (None, 1, 1)
    assert closed.note == "no slip marked a candidate: no one was elected"
    assert delegates_now(uow, works, t(12, 1)) == before


# -- 2. who may vote, and what -------------------------------------------------------------------


def test_refusals_say_why_and_change_nothing(uow: UnitOfWork, engine: Engine, works: Works) -> None:
    ballot_id = open_election(uow, works, t(10))
    first, second = works.members[:2]
    vote(uow, works, ballot_id, first, Marks(picks=(first,)), t(10, 1))
    before = kinds(engine)

    refusals: list[tuple[type[Exception], str, Any]] = [
        (
            Forbidden,
            "Depot hand is not a member of Works: only its members vote in elections there",
            lambda: vote(uow, works, ballot_id, works.outsider, Marks(), t(10, 2)),
        ),
        (
            Forbidden,
            "an administrator cannot vote in elections for Worker 2",
            lambda: ballots.cast_ballot(
                uow,
                ballot_id=ballot_id,
                member_id=second,
                marks=Marks(),
                actor="account:1",
                at=t(10, 2),
                acting=works.admin,
            ),
        ),
        (
            Forbidden,
            "Worker 1 cannot vote in elections for Worker 2: each person acts for themselves",
            lambda: ballots.cast_ballot(
                uow,
                ballot_id=ballot_id,
                member_id=second,
                marks=Marks(),
                actor="account:101",
                at=t(10, 2),
                acting=works.member(first),
            ),
        ),
        (
            AlreadyExists,
            f"Worker 1 has already voted in ballot {ballot_id} (at 2026-05-12 10:01 UTC)",
            lambda: vote(uow, works, ballot_id, first, Marks(), t(10, 2)),
        ),
        (
            InvalidInput,
            "mark at most 3 candidates (you marked 4)",
            lambda: vote(
                uow, works, ballot_id, second, Marks(picks=tuple(works.members[:4])), t(10, 2)
            ),
        ),
        (
            InvalidInput,
            f"member {works.members[9]} is not standing in this ballot",
            lambda: vote(uow, works, ballot_id, second, Marks(picks=(works.members[9],)), t(10, 2)),
        ),
        (
            InvalidInput,
            "this is an election, not a recall",
            lambda: vote(uow, works, ballot_id, second, Marks(recall=RecallChoice.FOR), t(10, 2)),
        ),
        (
            Forbidden,
            "Worker 2 is not an administrator of Ballot Union: only an administrator opens "
            "and closes its members' ballots",
            lambda: ballots.close_ballot(
                uow, ballot_id=ballot_id, actor="account:102", at=t(12), acting=works.member(second)
            ),
        ),
        (
            AlreadyExists,
            f"ballot {ballot_id} (Election of 3 delegates of Works to Assembly) of Works is "
            "not closed yet",
            lambda: open_election(uow, works, t(10, 3)),
        ),
        (
            RuleViolation,
            f"the period of ballot {ballot_id} ended on 2026-05-12 12:00 UTC",
            lambda: vote(uow, works, ballot_id, second, Marks(), t(12)),
        ),
    ]
    for error, message, attempt in refusals:
        with pytest.raises(error) as refused:
            attempt()
        assert refused.value.message.startswith(message), refused.value.message
    assert kinds(engine) == before
    with engine.connect() as connection:
        assert len(store.slips(connection, ballot_id)) == 1


def test_a_recall_is_opened_only_against_a_seat_in_force_and_members_vote_for_or_against(
    uow: UnitOfWork, works: Works
) -> None:
    target = delegates_now(uow, works, t(9))[0]
    recall = ballots.open_ballot(
        uow, kind=BallotKind.RECALL, mandate_id=target.id, closes_at=t(11), actor=ACTOR, at=t(10)
    )
    assert recall.petition_id is None  # no petition: the administrator's own call
    with pytest.raises(InvalidInput, match="choose for the recall, against it, or to abstain"):
        vote(uow, works, recall.id, works.members[5], Marks(), t(10, 1))
    with pytest.raises(InvalidInput, match="a recall vote names no candidates"):
        vote(uow, works, recall.id, works.members[5], Marks(picks=(target.member_id,)), t(10, 1))
    vote(uow, works, recall.id, works.members[5], Marks(recall=RecallChoice.FOR), t(10, 1))
    closed = ballots.close_ballot(uow, ballot_id=recall.id, actor=ACTOR, at=t(11))
    with uow:
        lost = uow.repo.get(RecallVote, closed.recall_vote_id or 0)
    assert (lost.votes_for, lost.carried) == (1, False)
    with pytest.raises(InvalidInput, match="the period must end after the ballot opens"):
        ballots.open_ballot(
            uow, kind=BallotKind.RECALL, mandate_id=target.id, closes_at=t(11), actor=ACTOR
        )


# -- 3. one member, one vote, under concurrency --------------------------------------------------

ATTEMPTS = 12


def test_many_votes_sent_at_once_by_one_member_leave_one_voter_and_one_slip(
    uow: UnitOfWork, engine: Engine, works: Works
) -> None:
    ballot_id = open_election(uow, works, t(10))
    member = works.members[3]
    candidates = works.members[:6]

    def attempt(number: int) -> Any:
        return lambda: ballots.cast_ballot(
            UnitOfWork(engine),
            ballot_id=ballot_id,
            member_id=member,
            marks=Marks(picks=(candidates[number % 6],)),
            actor=ACTOR,
            at=t(10, 1),
        )

    outcomes = _attempt_all([attempt(n) for n in range(ATTEMPTS)])
    assert outcomes.count("cast") == 1, outcomes
    for refusal in (o for o in outcomes if o != "cast"):
        assert re.fullmatch(
            rf"Worker 4 has already voted in ballot {ballot_id}( \(at 2026-05-12 10:01 UTC\))?: "
            "one vote each",
            refusal,
        ), refusal
    with engine.connect() as connection:
        voters = connection.execute(
            select(func.count()).where(store.member_ballot_voters.c.ballot_id == ballot_id)
        ).scalar_one()
        assert (voters, len(store.slips(connection, ballot_id))) == (1, 1)
    assert verify_ledger(uow).ok


def test_the_database_itself_refuses_a_second_voter_row(
    uow: UnitOfWork, engine: Engine, works: Works
) -> None:
    """Behind the services' back, plain inserts of the same member's row at once."""
    ballot_id = open_election(uow, works, t(10))
    member = works.members[0]

    def write(number: int) -> Any:
        def run() -> None:
            with engine.begin() as connection:
                connection.execute(
                    insert(store.member_ballot_voters).values(
                        id=1000 + number, ballot_id=ballot_id, member_id=member, voted_at=t(10, 1)
                    )
                )

        return run

    outcomes = _attempt_all_raw([write(n) for n in range(ATTEMPTS)])
    assert sorted(outcomes) == ["refused"] * (ATTEMPTS - 1) + ["written"], outcomes


def _attempt_all_raw(actions: Sequence[Any]) -> list[str]:
    """Run the writes at once, each in its own thread: "written", or why not."""
    barrier = threading.Barrier(len(actions))
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(action: Any) -> None:
        barrier.wait(timeout=60)
        try:
            action()
            outcome = "written"
        except IntegrityError as error:
            unique = re.search(r"(?i)unique|duplicate", str(error.orig))
            outcome = "refused" if unique else f"refused otherwise: {error.orig}"
        except OperationalError as error:  # SQLite: the database was locked
            outcome = f"locked: {error.orig}"
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(a,)) for a in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


# -- 4. nothing links a slip to its voter --------------------------------------------------------


@dataclass
class Cast:
    ballot_id: int
    slips: list[tuple[int, str]]  # (member, the slip as stored), in the order of casting

    @property
    def texts(self) -> list[str]:
        return [s for _, s in self.slips]


def assert_nothing_links_a_slip_to_its_voter(engine: Engine, casts: Sequence[Cast]) -> None:
    voters = {member for cast in casts for member, _ in cast.slips}
    slip_texts = {s for cast in casts for s in cast.texts}
    everything = read_everything(engine)
    naming = member_columns(engine)

    def slips_in(row: dict[str, Any]) -> list[str]:
        return [v for v in row.values() if isinstance(v, str) and v in slip_texts]

    # 1. No row of any table holds a voter beside a slip.
    for table, orders in everything.items():
        for row in orders["storage"]:
            named = set().union(*(members_in(row[c]) for c in naming[table])) & voters
            assert not (named and slips_in(row)), (table, row)
    # 2. No event of the ledger holds a voter beside a slip or a recall choice.
    bodies = [json.loads(row["body"]) for row in everything["events"]["storage"]]
    for body in bodies:
        found = list(leaves(body["payload"]))
        named = {
            v
            for k, v in found
            if k.endswith(("member_id", "member_ids")) and isinstance(v, int) and v in voters
        }
        said = {v for _, v in found if isinstance(v, str)} & (slip_texts | RECALL_WORDS)
        assert not (named and said), body
    assert Counter(b["kind"] for b in bodies)["member-ballot-cast"] == sum(
        len(c.slips) for c in casts
    )
    # 3. Wherever the slips are stored, in whatever order they are read, they follow the
    # order of casting (or its reverse) no better than chance.
    in_order = {cast.ballot_id: cast.texts for cast in casts}
    bound = chance_bound(list(in_order.values()))
    analysed = set()
    for table, orders in everything.items():
        for how, rows in orders.items():
            if not rows or "ballot_id" not in rows[0]:
                continue
            stored = {
                b: [s for row in rows if row["ballot_id"] == b for s in slips_in(row)]
                for b in in_order
            }
            if not any(stored.values()):
                continue
            analysed.add(table)
            for cast_order in (in_order, {k: v[::-1] for k, v in in_order.items()}):
                paired = sum(agreement(cast_order[b], stored[b]) for b in in_order)
                assert paired <= bound, (table, how, paired, bound)
    assert analysed == {"member_ballot_box"}
    with engine.connect() as connection:
        keys = [k for (k,) in connection.execute(text("SELECT key FROM member_ballot_box"))]
        assert len(keys) == len(set(keys)) == sum(len(c.slips) for c in casts)
        assert all(re.fullmatch(r"[0-9a-f]{32}", k) for k in keys)
        if connection.dialect.name == "postgresql":
            stamps = connection.execute(
                text(
                    "SELECT ballot_id, count(DISTINCT xmin::text) FROM member_ballot_box GROUP BY 1"
                )
            ).all()
            assert {n for _, n in stamps} == {1}
        else:
            with pytest.raises(OperationalError, match="rowid"):
                connection.execute(text("SELECT rowid FROM member_ballot_box"))


def test_nothing_in_the_database_or_the_ledger_links_a_slip_to_its_voter(
    uow: UnitOfWork, engine: Engine, works: Works
) -> None:
    rng = random.Random(1917)
    casts: list[Cast] = []
    for number in range(6):
        start = t(10 + 2 * number)
        if number % 2 == 0:
            seat = delegates_now(uow, works, start)[0]
            ballot = ballots.open_ballot(
                uow,
                kind=BallotKind.RECALL,
                mandate_id=seat.id,
                closes_at=start + timedelta(hours=1),
                actor=ACTOR,
                at=start,
            )
            ballot_id = ballot.id
        else:
            ballot_id = open_election(uow, works, start, candidates=works.members[:8])
        slips = []
        for i, member in enumerate(rng.sample(works.members, k=SIZE)):
            if number % 2 == 0:
                choice = rng.choices(list(RecallChoice), weights=(35, 45, 20))[0]
                marks = Marks(recall=choice)
                slip = choice.value
            else:
                # Two or three marks: a slip "a,b" is read for nothing else (a number, an id).
                picks = tuple(sorted(rng.sample(works.members[:8], k=rng.randint(2, 3))))
                marks = Marks(picks=picks)
                slip = ",".join(map(str, picks))
            vote(uow, works, ballot_id, member, marks, start + timedelta(minutes=1, seconds=i))
            slips.append((member, slip))
        cast = Cast(ballot_id, slips)
        if number == 5:
            assert_nothing_links_a_slip_to_its_voter(engine, [*casts, cast])
        ballots.close_ballot(uow, ballot_id=ballot_id, actor=ACTOR, at=start + timedelta(hours=1))
        casts.append(cast)
    assert_nothing_links_a_slip_to_its_voter(engine, casts)
    assert verify_ledger(uow).ok
    assert ballots.verify_boxes(uow) == []

    # A slip changed behind Smolny's back: counting the box again says so.
    recall = casts[0]
    with engine.begin() as connection:
        key = connection.execute(
            text("SELECT key FROM member_ballot_box WHERE ballot_id = :b ORDER BY key LIMIT 1"),
            {"b": recall.ballot_id},
        ).scalar_one()
        connection.execute(
            text("UPDATE member_ballot_box SET slip = :s WHERE key = :k"),
            {"s": "for", "k": key},
        )
        connection.execute(
            text("UPDATE member_ballot_box SET slip = :s WHERE key <> :k AND ballot_id = :b"),
            {"s": "against", "k": key, "b": recall.ballot_id},
        )
    problems = ballots.verify_boxes(uow)
    said = (
        f"member ballot {recall.ballot_id} in Works: counting its box again gives 1 for, "
        "23 against, 0 abstaining, not the "
    )
    assert problems[-1].startswith(said)
    assert said in (verify_ledger(uow).problem or "")


# -- 5. the member's page ------------------------------------------------------------------------


def test_my_membership_shows_my_delegates_their_roll_calls_and_the_ballots_i_may_vote_in(
    uow: UnitOfWork, works: Works
) -> None:
    seats = delegates_now(uow, works, t(9))
    delegates = [m.member_id for m in seats]
    sitting = sittings.convene_sitting(
        uow,
        council_id=works.council_id,
        title="Ordinary sitting",
        day=DAY,
        actor=ACTOR,
        at=t(8),
    )
    sittings.open_sitting(uow, sitting_id=sitting.id, actor=ACTOR, at=t(8, 5))
    sittings.check_in(uow, sitting_id=sitting.id, everyone=True, actor=ACTOR, at=t(8, 6))
    choices = {}
    for number, mode in enumerate((VoteMode.ROLL_CALL, VoteMode.SECRET, VoteMode.ROLL_CALL)):
        motion = sittings.table_motion(
            uow,
            sitting_id=sitting.id,
            title=f"Motion {number + 1}",
            text="The assembly resolves.",
            by_member_id=delegates[0],
            actor=ACTOR,
            at=t(8, 10 + 5 * number),
        )
        opened = sittings.open_vote(
            uow, motion_id=motion.id, mode=mode, actor=ACTOR, at=t(8, 11 + 5 * number)
        )
        for i, member in enumerate(delegates):
            choice = (Choice.FOR, Choice.AGAINST, Choice.ABSTAIN)[(i + number) % 3]
            choices[(motion.title, member)] = choice
            sittings.cast_vote(
                uow,
                vote_id=opened.id,
                member_id=member,
                choice=choice,
                actor=ACTOR,
                at=t(8, 12 + 5 * number, i),
            )
        sittings.close_vote(uow, vote_id=opened.id, actor=ACTOR, at=t(8, 13 + 5 * number))
    ballot_id = open_election(uow, works, t(10))
    me = works.members[10]
    vote(uow, works, ballot_id, works.members[11], Marks(), t(10, 1))

    view = ballots.membership_view(uow, works.member(me), at=t(10, 2))
    assert view.member is not None
    assert [p.constituency.name for p in view.places] == ["Works"]
    assert [d.delegate.id for d in view.delegates] == sorted(
        delegates, key=lambda m: works.names[m]
    )
    for line in view.delegates:
        # The roll-calls only, newest first: a secret vote shows no one's choice.
        assert [(r.motion_title, r.choice) for r in line.roll_calls] == [
            (title, choices[(title, line.delegate.id)]) for title in ("Motion 3", "Motion 1")
        ]
        assert line.may_sign.allowed
        assert (line.petition, line.recall) == (None, None)
    assert [(b.ballot.id, b.voted, b.electors, b.mine) for b in view.open_ballots] == [
        (ballot_id, 1, SIZE, False)
    ]
    assert view.open_ballots[0].decision is not None
    assert view.open_ballots[0].decision.allowed
    record = ballots.delegate_record(uow, seats[0].id)
    assert [r.motion_title for r in record.roll_calls] == ["Motion 3", "Motion 1"]

    # Someone of another constituency sees the ballot nowhere, and is refused with the reason.
    outsider = ballots.membership_view(uow, works.member(works.outsider), at=t(10, 2))
    assert (outsider.open_ballots, outsider.delegates) == ([], [])
    page = ballots.ballot_view(uow, ballot_id, viewer=works.member(works.outsider), at=t(10, 2))
    assert page.decision is not None
    assert not page.decision.allowed
    assert page.decision.reason == (
        "Depot hand is not a member of Works: only its members vote in elections there"
    )
