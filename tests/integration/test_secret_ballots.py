"""Secret votes keep who voted apart from what was voted, on SQLite and PostgreSQL.

Delegates of a 24-seat assembly cast secret ballots in an order and with choices drawn
from a seeded random generator. Then every table of the database is read (every row, in
storage order and ordered by each of its columns; on PostgreSQL also by the row's place
and by the transaction that wrote it), with the whole ledger and the server's log, and
nothing links a ballot to its voter: no row and no event holds a voter beside a choice,
and the ballots' order follows the order of casting no better than chance. One delegate,
one vote holds under attempts made at once (threads, processes, and plain inserts behind
the services' back); a closed vote's totals are its ballots counted, and `smolny verify`
counts them again.
"""

from __future__ import annotations

import json
import random
import re
import statistics
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import httpx
import pytest
from fastapi.routing import APIRoute
from sqlalchemy import Engine, func, insert, inspect, select, text
from sqlalchemy.exc import IntegrityError, OperationalError

from smolny.app import create_app
from smolny.domain.elections import CandidateTally, ElectionMethod
from smolny.domain.errors import AlreadyExists, RuleViolation
from smolny.domain.seat_rules import RatioRule
from smolny.domain.sittings import Choice, Outcome, VoteMode
from smolny.services import elections, federation, sittings
from smolny.services.verify import verify_ledger
from smolny.settings import Settings
from smolny.store import sittings as store
from smolny.store.migrate import downgrade, upgrade
from smolny.store.uow import UnitOfWork
from tests.builders import ACTOR
from tests.e2e.conftest import _wait_until_answering, free_port, smolny_env

DAY = date(2026, 5, 12)
SIZE = 24
CHOICES = list(Choice)
WEIGHTS = (45, 35, 20)  # for, against, abstain
CHOICE_WORDS = {c.value for c in Choice}
TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "smolny" / "web" / "templates"


def t(hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(DAY.year, DAY.month, DAY.day, hour, minute, second, tzinfo=UTC)


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


# -- an assembly of 24 delegates, all present --------------------------------------------------


@dataclass
class Assembly:
    organization_id: int
    faction_id: int
    sitting_id: int
    delegates: list[int]  # member ids
    names: dict[int, str]


def build_assembly(uow: UnitOfWork, size: int = SIZE) -> Assembly:
    founded = datetime(2026, 1, 5, 12, tzinfo=UTC)
    org = federation.create_organization(uow, name="Ballot Union", actor=ACTOR, at=founded)
    left = federation.create_faction(
        uow, organization_id=org.id, name="Left", color="#aa0000", actor=ACTOR, at=founded
    )
    council = federation.create_council(
        uow, organization_id=org.id, name="Assembly", actor=ACTOR, at=founded
    )
    works = federation.create_constituency(
        uow, council_id=council.id, name="Works", actor=ACTOR, at=founded
    )
    members = [
        federation.enroll_member(
            uow,
            organization_id=org.id,
            name=f"Worker {i}",
            faction_id=left.id,
            constituency_ids=[works.id],
            actor=ACTOR,
            at=founded,
        )
        for i in range(1, size + 1)
    ]
    elections.apportion_seats(
        uow, council_id=council.id, rule=RatioRule(per=1), actor=ACTOR, at=founded
    )
    elections.elect_delegates(
        uow,
        constituency_id=works.id,
        method=ElectionMethod.PLURALITY,
        candidates=[CandidateTally(m.id, size - i) for i, m in enumerate(members)],
        actor=ACTOR,
        at=datetime(2026, 2, 1, 12, tzinfo=UTC),
    )
    sitting = sittings.convene_sitting(
        uow,
        council_id=council.id,
        title="Ordinary sitting",
        day=DAY,
        chair_member_id=members[0].id,
        actor=ACTOR,
        at=t(17),
    )
    sittings.open_sitting(uow, sitting_id=sitting.id, actor=ACTOR, at=t(17, 45))
    sittings.check_in(uow, sitting_id=sitting.id, everyone=True, actor=ACTOR, at=t(17, 50))
    return Assembly(
        org.id, left.id, sitting.id, [m.id for m in members], {m.id: m.name for m in members}
    )


@pytest.fixture
def assembly(uow: UnitOfWork) -> Assembly:
    return build_assembly(uow)


@dataclass
class Cast:
    """A secret vote as it was cast: (member id, choice) in the order of casting."""

    vote_id: int
    ballots: list[tuple[int, Choice]]

    @property
    def choices(self) -> list[Choice]:
        return [choice for _, choice in self.ballots]

    def counted(self) -> tuple[int, int, int]:
        found = Counter(self.choices)
        return found[Choice.FOR], found[Choice.AGAINST], found[Choice.ABSTAIN]


def open_secret_vote(uow: UnitOfWork, assembly: Assembly, start: datetime, title: str) -> int:
    motion = sittings.table_motion(
        uow,
        sitting_id=assembly.sitting_id,
        title=title,
        text=f"{title}: the assembly resolves.",
        by_faction_id=assembly.faction_id,
        actor=ACTOR,
        at=start,
    )
    vote = sittings.open_vote(
        uow, motion_id=motion.id, mode=VoteMode.SECRET, actor=ACTOR, at=start + timedelta(seconds=1)
    )
    return vote.id


def draw(rng: random.Random, delegates: Sequence[int]) -> list[tuple[int, Choice]]:
    """Who votes in which order (all of them), and how: a seeded draw."""
    order = rng.sample(list(delegates), k=len(delegates))
    return list(zip(order, rng.choices(CHOICES, weights=WEIGHTS, k=len(order)), strict=True))


def secret_vote(
    uow: UnitOfWork, assembly: Assembly, rng: random.Random, start: datetime, title: str
) -> Cast:
    """Open a secret vote, cast every delegate's ballot one after another, leave it open."""
    vote_id = open_secret_vote(uow, assembly, start, title)
    ballots = draw(rng, assembly.delegates)
    for i, (member_id, choice) in enumerate(ballots, start=2):
        answer = sittings.cast_vote(
            uow,
            vote_id=vote_id,
            member_id=member_id,
            choice=choice,
            actor=ACTOR,
            at=start + timedelta(seconds=i),
        )
        assert answer.choice is None
    return Cast(vote_id, ballots)


# -- reading everything ------------------------------------------------------------------------


def read_everything(engine: Engine) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Every table of the database (whoever made it), every row: in storage order (a plain
    SELECT), ordered by each column, and on PostgreSQL by the row's place (ctid) and by the
    transaction that wrote it (xmin), by table and ordering."""
    found: dict[str, dict[str, list[dict[str, Any]]]] = {}
    with engine.connect() as connection:
        postgres = connection.dialect.name == "postgresql"
        inspector = inspect(connection)
        for table in inspector.get_table_names():
            orders = {"storage": f'SELECT * FROM "{table}"'}
            for column in inspector.get_columns(table):
                name = column["name"]
                key = f'CAST("{name}" AS TEXT)' if "JSON" in str(column["type"]) else f'"{name}"'
                orders[name] = f'SELECT * FROM "{table}" ORDER BY {key}'
            if postgres:
                orders["ctid"] = f'SELECT * FROM "{table}" ORDER BY ctid'
                orders["xmin"] = f'SELECT * FROM "{table}" ORDER BY xmin::text::bigint'
            found[table] = {
                how: [dict(row) for row in connection.execute(text(query)).mappings()]
                for how, query in orders.items()
            }
    return found


def member_columns(engine: Engine) -> dict[str, set[str]]:
    """The columns of each table that name members: *member_id(s), and foreign keys to
    members (and the members' own id)."""
    found: dict[str, set[str]] = {}
    with engine.connect() as connection:
        inspector = inspect(connection)
        for table in inspector.get_table_names():
            names = {
                c["name"]
                for c in inspector.get_columns(table)
                if c["name"].endswith(("member_id", "member_ids"))
            }
            for fk in inspector.get_foreign_keys(table):
                if fk["referred_table"] == "members":
                    names.update(fk["constrained_columns"])
            if table == "members":
                names.add("id")
            found[table] = names
    return found


def members_in(value: Any) -> set[int]:
    if isinstance(value, bool) or value is None:
        return set()
    if isinstance(value, int):
        return {value}
    if isinstance(value, str) and value.startswith("["):
        value = json.loads(value)
    if isinstance(value, list):
        return {v for v in value if isinstance(v, int) and not isinstance(v, bool)}
    return set()


def choices_in(row: dict[str, Any]) -> list[str]:
    return [v for v in row.values() if isinstance(v, str) and v in CHOICE_WORDS]


def leaves(value: Any, key: str = "") -> Iterator[tuple[str, Any]]:
    """(key, value) for every scalar of a JSON document; list items keep their list's key."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from leaves(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from leaves(v, key)
    else:
        yield key, value


def agreement(cast: Sequence[Any], stored: Sequence[Any]) -> int:
    """How many ballots a reader would pair with the right choice by pairing the i-th
    ballot stored with the i-th delegate to vote."""
    return sum(a == b for a, b in zip(cast, stored, strict=False))


def chance_bound(casts: Sequence[Sequence[Choice]], trials: int = 2000) -> float:
    """Six standard deviations above what pairing by position gets right when the
    ballots lie in an order that has nothing to do with the casting (simulated)."""
    rng = random.Random(2026)
    totals = []
    for _ in range(trials):
        total = 0
        for cast in casts:
            shuffled = list(cast)
            rng.shuffle(shuffled)
            total += agreement(cast, shuffled)
        totals.append(total)
    return statistics.fmean(totals) + 6 * statistics.pstdev(totals)


def assert_nothing_links_a_ballot_to_its_voter(engine: Engine, casts: Sequence[Cast]) -> None:
    voters = {member for cast in casts for member, _ in cast.ballots}
    everything = read_everything(engine)
    naming = member_columns(engine)

    # 1. No row holds a voter beside a choice, in any table.
    for table, orders in everything.items():
        for row in orders["storage"]:
            named = set().union(*(members_in(row[c]) for c in naming[table])) & voters
            assert not (named and choices_in(row)), (table, row)

    # 2. No event of the ledger holds a voter beside a choice.
    bodies = [json.loads(row["body"]) for row in everything["events"]["storage"]]
    for body in bodies:
        found = list(leaves(body["payload"]))
        named = {
            v
            for k, v in found
            if k.endswith(("member_id", "member_ids")) and isinstance(v, int) and v in voters
        }
        assert not (named and {v for _, v in found if v in CHOICE_WORDS}), body
    kinds = Counter(body["kind"] for body in bodies)
    assert kinds["sitting-ballot-cast"] == sum(len(c.ballots) for c in casts)
    assert kinds["sitting-vote-cast"] == 0

    # 3. Wherever choices of these votes are stored, in whatever order they are read, they
    # follow the order of casting (or its reverse) no better than chance.
    in_order = {cast.vote_id: cast.choices for cast in casts}
    bound = chance_bound(list(in_order.values()))
    assert sum(len(c) for c in in_order.values()) > bound  # stored as cast, it would fail
    analysed = set()
    for table, orders in everything.items():
        for how, rows in orders.items():
            if not rows or "vote_id" not in rows[0]:
                continue
            stored = {
                vote_id: [c for row in rows if row["vote_id"] == vote_id for c in choices_in(row)]
                for vote_id in in_order
            }
            if not any(stored.values()):
                continue
            analysed.add(table)
            for cast_order in (in_order, {k: v[::-1] for k, v in in_order.items()}):
                paired = sum(agreement(cast_order[v], stored[v]) for v in in_order)
                assert paired <= bound, (table, how, paired, bound)
    assert analysed == {"sitting_ballots"}

    with engine.connect() as connection:
        keys = [k for (k,) in connection.execute(text("SELECT key FROM sitting_ballots"))]
        assert len(keys) == len(set(keys)) == sum(len(c.ballots) for c in casts)
        assert all(re.fullmatch(r"[0-9a-f]{32}", k) for k in keys)
        if connection.dialect.name == "postgresql":
            # Each vote's ballots were all written by one transaction (its last ballot's):
            # the stamp of the transaction that wrote a row names no ballot's voter.
            stamps = connection.execute(
                text("SELECT vote_id, count(DISTINCT xmin::text) FROM sitting_ballots GROUP BY 1")
            ).all()
            assert {n for _, n in stamps} == {1}
        else:
            # No rowid numbers the ballots in the order they came in.
            with pytest.raises(OperationalError, match="rowid"):
                connection.execute(text("SELECT rowid FROM sitting_ballots"))


# -- 1. nothing links a ballot to its voter ----------------------------------------------------


def test_nothing_in_the_database_or_the_ledger_links_a_secret_ballot_to_its_voter(
    uow: UnitOfWork, engine: Engine, assembly: Assembly
) -> None:
    rng = random.Random(1917)
    casts = []
    for number in range(6):
        start = t(18, 5 * number)
        cast = secret_vote(uow, assembly, rng, start, f"Motion {number + 1}")
        # While it is open, the vote shows only how many have voted, never a count.
        state = sittings.vote_state(uow, cast.vote_id, start + timedelta(minutes=2))
        assert (state.voted, state.present, state.names) == (SIZE, SIZE, None)
        assert (state.vote.yes, state.vote.no, state.vote.abstain) == (0, 0, 0)
        if number == 5:
            # Read while the last vote is still open, then again once it is closed.
            assert_nothing_links_a_ballot_to_its_voter(engine, [*casts, cast])
        closed = sittings.close_vote(
            uow, vote_id=cast.vote_id, actor=ACTOR, at=start + timedelta(minutes=3)
        )
        assert (closed.yes, closed.no, closed.abstain) == cast.counted()
        casts.append(cast)
    assert_nothing_links_a_ballot_to_its_voter(engine, casts)
    assert verify_ledger(uow).ok


# -- 2. one delegate, one vote, under concurrency ----------------------------------------------

ATTEMPTS = 12


def _attempt_all(actions: Sequence[Any]) -> list[str]:
    """Run the actions at once, each in its own thread, started together; what each
    gave: "cast", or the message of its refusal."""
    barrier = threading.Barrier(len(actions))
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(action: Any) -> None:
        barrier.wait(timeout=60)
        try:
            action()
            outcome = "cast"
        except AlreadyExists as refusal:
            outcome = refusal.message
        except Exception as error:  # anything else is a finding
            outcome = f"unexpected {type(error).__name__}: {error}"
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(a,)) for a in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def rows_of(engine: Engine, vote_id: int) -> tuple[int, list[Choice]]:
    """The voter rows and the ballots of a vote, as the database holds them."""
    with engine.connect() as connection:
        voters = connection.execute(
            select(func.count()).where(store.sitting_voters.c.vote_id == vote_id)
        ).scalar_one()
        ballots = [choice for _, choice in store.ballots(connection, vote_id)]
    return int(voters), ballots


def test_many_ballots_cast_at_once_by_one_delegate_leave_one_voter_and_one_ballot(
    uow: UnitOfWork, engine: Engine, assembly: Assembly
) -> None:
    vote_id = open_secret_vote(uow, assembly, t(18), "All power to the councils")
    member = assembly.delegates[3]

    def attempt(choice: Choice) -> Any:
        return lambda: sittings.cast_vote(
            UnitOfWork(engine),
            vote_id=vote_id,
            member_id=member,
            choice=choice,
            actor=ACTOR,
            at=t(18, 1),
        )

    outcomes = _attempt_all([attempt(CHOICES[i % 3]) for i in range(ATTEMPTS)])
    assert outcomes.count("cast") == 1, outcomes
    for refusal in (o for o in outcomes if o != "cast"):
        assert re.fullmatch(
            rf"Worker 4 has already voted in vote {vote_id}( \(at 18:01\))?", refusal
        )
    voters, ballots = rows_of(engine, vote_id)
    assert voters == 1
    assert len(ballots) == 1
    closed = sittings.close_vote(uow, vote_id=vote_id, actor=ACTOR, at=t(18, 2))
    assert (closed.yes, closed.no, closed.abstain) == Cast(
        vote_id, [(member, ballots[0])]
    ).counted()
    assert verify_ledger(uow).ok


# A delegate's ballot cast from a process of its own: ready once connected, it casts when
# told to go, and says what came of it.
CASTING_PROCESS = """
import sys
from datetime import datetime
from smolny.domain.errors import AlreadyExists
from smolny.domain.sittings import Choice
from smolny.services import sittings
from smolny.store.database import connect
from smolny.store.uow import UnitOfWork

url, vote_id, member_id, choice, at = sys.argv[1:]
engine = connect(url)
with engine.connect():
    pass
print("ready", flush=True)
sys.stdin.readline()
try:
    sittings.cast_vote(
        UnitOfWork(engine), vote_id=int(vote_id), member_id=int(member_id),
        choice=Choice(choice), actor="test", at=datetime.fromisoformat(at),
    )
    print("cast", flush=True)
except AlreadyExists as refusal:
    print(refusal.message, flush=True)
"""


def test_ballots_cast_at_once_from_several_processes_by_one_delegate_count_once(
    uow: UnitOfWork, engine: Engine, database_url: str, assembly: Assembly
) -> None:
    vote_id = open_secret_vote(uow, assembly, t(18), "All power to the councils")
    member = assembly.delegates[7]
    processes = [
        subprocess.Popen(
            [
                *(sys.executable, "-c", CASTING_PROCESS, database_url),
                *(str(vote_id), str(member), CHOICES[i % 3].value, iso(t(18, 1))),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(6)
    ]
    try:
        for process in processes:
            assert process.stdout is not None
            assert process.stdout.readline().strip() == "ready", process.communicate()
        for process in processes:  # all connected: go, as close together as can be
            assert process.stdin is not None
            process.stdin.write("go\n")
            process.stdin.flush()
        outcomes = []
        for process in processes:
            out, err = process.communicate(timeout=120)
            outcomes.append(out.strip() or f"failed: {err}")
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
    assert outcomes.count("cast") == 1, outcomes
    for refusal in (o for o in outcomes if o != "cast"):
        assert re.fullmatch(
            rf"Worker 8 has already voted in vote {vote_id}( \(at 18:01\))?", refusal
        )
    voters, ballots = rows_of(engine, vote_id)
    assert (voters, len(ballots)) == (1, 1)


def test_every_delegate_voting_at_once_is_counted(
    uow: UnitOfWork, engine: Engine, assembly: Assembly
) -> None:
    vote_id = open_secret_vote(uow, assembly, t(18), "All power to the councils")
    ballots = draw(random.Random(5), assembly.delegates)

    def attempt(member_id: int, choice: Choice) -> Any:
        return lambda: sittings.cast_vote(
            UnitOfWork(engine),
            vote_id=vote_id,
            member_id=member_id,
            choice=choice,
            actor=ACTOR,
            at=t(18, 1),
        )

    outcomes = _attempt_all([attempt(m, c) for m, c in ballots])
    assert outcomes == ["cast"] * SIZE
    voters, stored = rows_of(engine, vote_id)
    assert voters == SIZE
    assert Counter(stored) == Counter(c for _, c in ballots)
    closed = sittings.close_vote(uow, vote_id=vote_id, actor=ACTOR, at=t(18, 2))
    assert (closed.yes, closed.no, closed.abstain) == Cast(vote_id, ballots).counted()
    assert verify_ledger(uow).ok


def test_the_database_itself_refuses_a_second_voter_row_written_at_once(
    uow: UnitOfWork, engine: Engine, assembly: Assembly
) -> None:
    """Behind the services' back (no writers' lock): plain inserts of the same delegate's
    voter row, at once, from several connections: the unique constraint keeps one."""
    vote_id = open_secret_vote(uow, assembly, t(18), "All power to the councils")
    member = assembly.delegates[0]
    with uow:
        stays = store.open_stays(uow.repo, assembly.sitting_id)
    mandate = next(a.mandate_id for a in stays if a.member_id == member)
    barrier = threading.Barrier(ATTEMPTS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def write(number: int) -> None:
        barrier.wait(timeout=60)
        try:
            with engine.begin() as connection:
                connection.execute(
                    insert(store.sitting_voters).values(
                        id=1000 + number,
                        vote_id=vote_id,
                        member_id=member,
                        mandate_id=mandate,
                        cast_at=t(18, 1),
                        choice=None,
                    )
                )
            outcome = "written"
        except IntegrityError as error:
            unique = re.search(r"(?i)unique|duplicate", str(error.orig))
            outcome = "refused" if unique else f"refused otherwise: {error.orig}"
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(outcomes) == ["refused"] * (ATTEMPTS - 1) + ["written"]
    assert rows_of(engine, vote_id)[0] == 1


# -- 3. the totals are the ballots counted; verify counts them again ---------------------------


def test_a_closed_vote_s_totals_are_its_ballots_counted_and_verify_counts_them_again(
    uow: UnitOfWork, engine: Engine, assembly: Assembly
) -> None:
    cast = secret_vote(uow, assembly, random.Random(12), t(18), "All power to the councils")
    closed = sittings.close_vote(uow, vote_id=cast.vote_id, actor=ACTOR, at=t(18, 5))
    assert (closed.yes, closed.no, closed.abstain) == cast.counted()
    assert closed.outcome in (Outcome.CARRIED, Outcome.LOST, Outcome.TIED)
    with engine.connect() as connection:
        box = store.ballots(connection, cast.vote_id)
        closing = [
            json.loads(body)["payload"]
            for (body,) in connection.execute(
                text("SELECT body FROM events WHERE kind = 'sitting-vote-closed'")
            )
        ]
    assert Counter(c for _, c in box) == Counter(cast.choices)
    assert [(p["yes"], p["no"], p["abstain"]) for p in closing] == [cast.counted()]
    assert verify_ledger(uow).ok

    # A ballot changed behind Smolny's back: verify counts again and says so.
    key, choice = box[0]
    other = next(c for c in CHOICES if c is not choice)
    with engine.begin() as connection:
        connection.execute(
            store.sitting_ballots.update()
            .where(store.sitting_ballots.c.key == key)
            .values(choice=other)
        )
    found = verify_ledger(uow)
    assert not found.ok
    assert found.problem is not None
    assert found.problem.startswith(
        f"the tables: counting the ballots of vote {cast.vote_id} again gives "
    )
    assert "not the recorded {} for, {} against, {} abstaining".format(*cast.counted()) in (
        found.problem
    )
    # A ballot taken out: verify says the box holds fewer ballots than delegates voted.
    with engine.begin() as connection:
        connection.execute(store.sitting_ballots.delete().where(store.sitting_ballots.c.key == key))
    found = verify_ledger(uow)
    assert found.problem == (
        f"the tables: the ballot box of vote {cast.vote_id} holds {SIZE - 1} ballots but "
        f"{SIZE} delegates voted"
    )


def test_an_open_vote_whose_box_was_changed_cannot_be_counted(
    uow: UnitOfWork, engine: Engine, assembly: Assembly
) -> None:
    vote_id = open_secret_vote(uow, assembly, t(18), "All power to the councils")
    for i, member in enumerate(assembly.delegates[:5]):
        sittings.cast_vote(
            uow, vote_id=vote_id, member_id=member, choice=Choice.FOR, actor=ACTOR, at=t(18, 1, i)
        )
    with engine.begin() as connection:
        connection.execute(
            insert(store.sitting_ballots).values(vote_id=vote_id, key="0" * 32, choice="against")
        )
    with pytest.raises(RuleViolation, match=r"holds 6 ballots but 5 delegates voted"):
        sittings.close_vote(uow, vote_id=vote_id, actor=ACTOR, at=t(18, 2))
    assert not verify_ledger(uow).ok


# -- the migration -----------------------------------------------------------------------------


def test_the_migration_turns_running_totals_into_ballots_and_back(
    uow: UnitOfWork, engine: Engine, assembly: Assembly
) -> None:
    rng = random.Random(3)
    done = secret_vote(uow, assembly, rng, t(18), "First")
    sittings.close_vote(uow, vote_id=done.vote_id, actor=ACTOR, at=t(18, 5))
    vote_id = open_secret_vote(uow, assembly, t(18, 10), "Second")
    going = Cast(vote_id, draw(rng, assembly.delegates[:9]))
    for i, (member, choice) in enumerate(going.ballots):
        sittings.cast_vote(
            uow, vote_id=vote_id, member_id=member, choice=choice, actor=ACTOR, at=t(18, 11, i)
        )

    downgrade(engine, "0005")
    with engine.connect() as connection:
        assert "sitting_ballots" not in inspect(connection).get_table_names()
        tallies = connection.execute(
            text("SELECT vote_id, yes, no, abstain FROM sitting_secret_tallies ORDER BY vote_id")
        ).all()
    assert [tuple(row) for row in tallies] == [
        (done.vote_id, *done.counted()),
        (vote_id, *going.counted()),
    ]
    upgrade(engine)
    with engine.connect() as connection:
        assert "sitting_secret_tallies" not in inspect(connection).get_table_names()
        assert Counter(c for _, c in store.ballots(connection, done.vote_id)) == Counter(
            done.choices
        )
    assert verify_ledger(uow).ok
    closed = sittings.close_vote(uow, vote_id=vote_id, actor=ACTOR, at=t(18, 15))
    assert (closed.yes, closed.no, closed.abstain) == going.counted()
    assert verify_ledger(uow).ok


# -- the server's log --------------------------------------------------------------------------


@pytest.fixture
def logged_server(
    assembly: Assembly, database_url: str, tmp_path: Path
) -> Iterator[tuple[str, str, Path]]:
    """The application under uvicorn with its access log on (as an operator might run it;
    `smolny serve` logs only warnings): (URL, token, the log file)."""
    token = "secret-ballot-test-token"
    port = free_port()
    log = tmp_path / "server.log"
    env = smolny_env(database_url, SMOLNY_ADMIN_TOKEN=token)
    command = [sys.executable, "-m", "uvicorn", "--factory", "smolny.app:create_app"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "info"]
    with log.open("w") as output:
        process = subprocess.Popen(
            command, env=env, cwd=tmp_path, stdout=output, stderr=subprocess.STDOUT
        )
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_until_answering(process, url, log)
            yield url, token, log
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def test_the_server_log_holds_no_choice_and_nothing_links_ballots_cast_over_http(
    logged_server: tuple[str, str, Path], assembly: Assembly, engine: Engine
) -> None:
    url, token, log = logged_server
    ballots = draw(random.Random(1871), assembly.delegates)
    by_api, by_page = ballots[:20], ballots[20:]
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=url, headers=headers, timeout=30) as api:
        motion = api.post(
            f"/api/sittings/{assembly.sitting_id}/motions",
            json={
                "title": "All power",
                "text": "Power to the councils.",
                "by_faction_id": assembly.faction_id,
                "at": iso(t(18)),
            },
        ).json()
        vote = api.post(
            f"/api/motions/{motion['id']}/votes", json={"mode": "secret", "at": iso(t(18, 1))}
        ).json()
        for i, (member, choice) in enumerate(by_api):
            answer = api.post(
                f"/api/votes/{vote['id']}/ballots",
                json={"member_id": member, "choice": choice.value, "at": iso(t(18, 2, i))},
            )
            assert answer.status_code == 201, answer.text
            assert answer.json()["choice"] is None
        # The chair's desk on the motion's page: a form, posted (now).
        for member, choice in by_page:
            answer = api.post(
                f"/votes/{vote['id']}/ballots",
                data={"member": assembly.names[member], "choice": choice.value, "token": token},
                follow_redirects=False,
            )
            assert answer.status_code == 303, answer.text
        progress = api.get(f"/api/votes/{vote['id']}").json()
        assert progress["voted"] == SIZE
        assert not CHOICE_WORDS & set(progress)
        result = api.post(f"/api/votes/{vote['id']}/closing", json={})
        assert result.status_code == 200, result.text
    cast = Cast(vote["id"], ballots)
    assert (result.json()["for"], result.json()["against"]) == cast.counted()[:2]

    said = log.read_text()
    requests = re.findall(r'"(GET|POST|PUT|PATCH|DELETE) (\S+) HTTP/1\.1" (\d+)', said)
    casting = [target for verb, target, _ in requests if verb == "POST" and "/ballots" in target]
    assert len(casting) == SIZE  # the access log is on, and holds every ballot's request
    for _, target, _ in requests:
        parts = urlsplit(target)
        words = {unquote(p) for p in parts.path.split("/")}
        words |= {w for pair in parse_qsl(parts.query) for w in pair}
        assert not words & CHOICE_WORDS, target
    counted = Counter(cast.choices)
    assert counted[Choice.AGAINST]
    assert counted[Choice.ABSTAIN]
    assert not re.search(r"(?i)against|abstain|choice", said), said
    assert_nothing_links_a_ballot_to_its_voter(engine, [cast])


def api_routes(routes: Sequence[Any]) -> Iterator[APIRoute]:
    """Every route of the app, in included routers too (FastAPI may include them lazily)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from api_routes(included.routes)


def in_address(dependant: Any) -> set[str]:
    """The names of a route's path and query parameters, its dependencies' included."""
    names = {p.name for p in [*dependant.path_params, *dependant.query_params]}
    for sub in dependant.dependencies:
        names |= in_address(sub)
    return names


def test_no_page_or_api_route_takes_a_choice_in_its_address() -> None:
    """What an address holds goes into access logs (the server's, a proxy's): a choice is
    sent in the body of a POST, never in a path or query string."""
    app = create_app(Settings(database_url="sqlite://"))
    routes = list(api_routes(app.routes))
    assert len(routes) > 50
    assert any(r.path.endswith("/votes/{vote_id}/ballots") for r in routes)
    for route in routes:
        assert not {"choice", "choices", "ballot"} & in_address(route.dependant), route.path
    forms = 0
    for template in TEMPLATES.rglob("*.html"):
        for form in re.findall(r"<form\b.*?</form>", template.read_text(), flags=re.S):
            if re.search(r'name="choice"', form):
                forms += 1
                opening = form[: form.index(">") + 1]
                assert re.search(r'method="post"', opening, flags=re.I), template.name
                assert "hx-get" not in form, template.name
    assert forms >= 1
