"""Petrograd 1917, replayed through the engine: every figure of the record, asserted from
what the services compute (compositions, vote results, order validity, analytics), never
read from the scenario file. Replayed once per backend; a second replay into a fresh
SQLite database must record the same ledger, byte for byte."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from smolny.domain.analytics import Target
from smolny.domain.orders import Status
from smolny.domain.sittings import Choice
from smolny.scenario.files import find_scenario, load_scenario
from smolny.scenario.replay import Replayed, replay
from smolny.services.analytics import representation_lag
from smolny.services.composition import council_composition
from smolny.services.lookup import find_council, find_faction
from smolny.services.orders import faction_status, order_statuses
from smolny.services.sittings import MotionState, SittingView, sitting_view, sittings_of_council
from smolny.services.verify import verify_ledger
from smolny.store.database import connect
from smolny.store.orders import orders as orders_table
from smolny.store.orders import units as units_table
from smolny.store.tables import events
from smolny.store.uow import UnitOfWork
from tests.conftest import PostgresServer

ORG = "Soviets of Workers' and Soldiers' Deputies"
CONGRESS = "All-Russian Congress of Soviets"
CEC = "Central Executive Committee"
SOVIET = "Petrograd Soviet"
EXECUTIVE = "Executive Committee of the Petrograd Soviet"
MRC = "Military Revolutionary Committee"


def moment(text: str) -> datetime:
    """A moment in Petrograd time, as the scenario writes it."""
    value = datetime.fromisoformat(text if "T" in text else f"{text}T23:59")
    return value.replace(tzinfo=datetime.fromisoformat("2000-01-01T00:00+03:00").tzinfo)


@dataclass
class Replay:
    backend: str
    engine: Engine
    uow: UnitOfWork
    result: Replayed


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def petrograd(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Replay]:
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path_factory.mktemp("petrograd") / "smolny.sqlite3"
        shutil.copy(template, path)
        url = f"sqlite:///{path}"
    else:
        server: PostgresServer = request.getfixturevalue("postgres")
        url = server.create(f"smolny_1917_{uuid.uuid4().hex[:10]}", template=server.template)
    engine = connect(url)
    uow = UnitOfWork(engine)
    result = replay(uow, load_scenario(find_scenario("petrograd-1917")))
    yield Replay(str(request.param), engine, uow, result)
    engine.dispose()


def seats(r: Replay, council: str, at: str) -> dict[str, int]:
    body = find_council(r.uow, council)
    return council_composition(r.uow, body.id, moment(at)).seats_by_faction()


def sitting(r: Replay, council: str, title: str) -> SittingView:
    body = find_council(r.uow, council)
    found = [
        s
        for s in sittings_of_council(r.uow, body.id, moment("1917-12-31"))
        if s.sitting.title == title
    ]
    assert len(found) == 1, f"no single sitting {title!r} of {council}"
    return sitting_view(r.uow, found[0].sitting.id, moment("1917-12-31"))


def motion(view: SittingView, title: str) -> MotionState:
    (found,) = [m for m in view.motions if m.motion.title == title]
    return found


def counts(state: MotionState) -> tuple[int, int, int]:
    vote = state.votes[-1].vote
    return vote.yes, vote.no, vote.abstain


# -- June: the First Congress and its Central Executive Committee ------------------------------


def test_the_first_congress_seats_the_704_who_declared_a_party(petrograd: Replay) -> None:
    first = seats(petrograd, CONGRESS, "1917-06-10")
    assert first == {
        "Socialist Revolutionaries": 285,
        "Mensheviks": 248,
        "Bolsheviks": 105,
        "Menshevik-Internationalists": 32,
        "United Social Democrats": 10,
        "Others": 24,
    }
    assert sum(first.values()) == 704


def test_the_first_congress_elects_a_cec_of_320_chaired_by_chkheidze(petrograd: Replay) -> None:
    assert seats(petrograd, CEC, "1917-07-01") == {
        "Mensheviks": 123,
        "Socialist Revolutionaries": 119,
        "Bolsheviks": 58,
        "United Social Democrats": 13,
        "Others": 7,
    }
    chair = find_council(petrograd.uow, "Chairman of the CEC")
    composition = council_composition(petrograd.uow, chair.id, moment("1917-07-01"))
    assert [d.member.name for d in composition.delegates] == ["Nikolay Chkheidze"]


# -- July: the workers' section, the ban ------------------------------------------------------


def test_july_days_the_workers_section_the_committee_of_25_and_the_walkout(
    petrograd: Replay,
) -> None:
    soviet = find_council(petrograd.uow, SOVIET)
    composition = council_composition(petrograd.uow, soviet.id, moment("1917-07-03T18:00"))
    (workers,) = [s for s in composition.sections if s.section.name == "Workers' section"]
    share = Fraction(workers.factions["Bolsheviks"], workers.seats)
    assert Fraction(3, 5) < share < Fraction(2, 3)  # "almost two-thirds"
    view = sitting(petrograd, SOVIET, "Workers' section, 3 July")
    assert [s.name for s in view.sections] == ["Workers' section"]
    (walkout,) = view.walkouts
    assert set(walkout.factions) == {"Mensheviks", "Socialist Revolutionaries"}
    committee = motion(view, "A committee of twenty-five")
    assert committee.status.value == "carried"
    assert committee.tabled_by == "the Bolsheviks faction"


def test_the_bolshevik_party_is_banned_on_13_july(petrograd: Replay) -> None:
    org = find_council(petrograd.uow, SOVIET).organization_id
    bolsheviks = find_faction(petrograd.uow, "Bolsheviks", org)
    assert faction_status(petrograd.uow, bolsheviks.id, moment("1917-07-12")).state.value == (
        "active"
    )
    banned = faction_status(petrograd.uow, bolsheviks.id, moment("1917-07-14"))
    assert banned.state.value == "banned"
    assert banned.sanction is not None
    assert banned.sanction.council_id == find_council(petrograd.uow, CEC).id


# -- August and September: Kornilov, the turn of the soviets -----------------------------------


def test_the_committee_of_struggle_has_the_three_soviet_parties(petrograd: Replay) -> None:
    struggle = seats(petrograd, "Committee of Struggle against Counter-Revolution", "1917-08-29")
    assert set(struggle) == {"Mensheviks", "Socialist Revolutionaries", "Bolsheviks"}


def test_the_first_bolshevik_resolution_279_115_51(petrograd: Replay) -> None:
    view = sitting(petrograd, SOVIET, "Sitting of 31 August – 1 September")
    resolution = motion(view, "For a government of workers and peasants")
    assert counts(resolution) == (279, 115, 51)
    assert resolution.status.value == "carried"


def test_early_september_bolshevik_majorities_in_petrograd_and_moscow(petrograd: Replay) -> None:
    for council in (SOVIET, "Moscow Soviet"):
        before = seats(petrograd, council, "1917-06-30")
        after = seats(petrograd, council, "1917-09-10")
        assert before["Bolsheviks"] * 2 < sum(before.values())
        assert after["Bolsheviks"] * 2 > sum(after.values()), council


def test_the_new_executive_committee_13_6_3_and_trotsky_president(petrograd: Replay) -> None:
    assert seats(petrograd, EXECUTIVE, "1917-09-26") == {
        "Bolsheviks": 13,
        "Socialist Revolutionaries": 6,
        "Mensheviks": 3,
    }
    president = find_council(petrograd.uow, "President of the Petrograd Soviet")
    holder = council_composition(petrograd.uow, president.id, moment("1917-09-26"))
    assert [d.member.name for d in holder.delegates] == ["Leon Trotsky"]


# -- October: the MRC, the Central Committee, the Second Congress ------------------------------


def test_the_garrison_order_is_not_valid_for_the_units_that_accepted_the_mrc(
    petrograd: Replay,
) -> None:
    with petrograd.engine.connect() as connection:
        order_id = connection.execute(
            select(orders_table.c.id).where(
                orders_table.c.title == "Transfer of garrison units to the front"
            )
        ).scalar_one()
        names = dict(connection.execute(select(units_table.c.id, units_table.c.name)).all())
    statuses = order_statuses(petrograd.uow, order_id, moment("1917-10-23"))
    by_name = {names[unit_id]: s.status for unit_id, s in statuses.items()}
    assert by_name == {
        "Volynsky Regiment": Status.REFUSED,
        "Pavlovsky Regiment": Status.REFUSED,
        "Keksgolmsky Regiment": Status.REFUSED,
        "1st Machine-Gun Regiment": Status.REFUSED,
        "3rd Cyclist Battalion": Status.VALID,
    }
    mrc = find_council(petrograd.uow, MRC)
    refused = {s.unit_id: s.refused for s in statuses.values() if s.status is Status.REFUSED}
    assert all(bodies == (mrc.id,) for bodies in refused.values())


def test_the_central_committee_of_10_october(petrograd: Replay) -> None:
    view = sitting(petrograd, "Central Committee", "Sitting of 10 October")
    seated = council_composition(
        petrograd.uow, find_council(petrograd.uow, "Central Committee").id, moment("1917-10-10")
    )
    assert seated.filled == 21
    resolution = motion(view, "On armed insurrection")
    (vote,) = resolution.votes
    assert vote.present == 12
    assert vote.names is not None
    assert len(vote.names[Choice.FOR]) == 10
    assert sorted(vote.names[Choice.AGAINST]) == ["Grigory Zinoviev", "Lev Kamenev"]
    assert resolution.status.value == "carried"


def test_the_second_congress_650_delegates_390_bolsheviks_159_srs(petrograd: Replay) -> None:
    second = seats(petrograd, CONGRESS, "1917-10-26")
    assert sum(second.values()) == 650
    assert second["Bolsheviks"] == 390
    srs = second["Socialist Revolutionaries"] + second["Left Socialist Revolutionaries"]
    assert srs == 159
    assert round(100 * second["Left Socialist Revolutionaries"] / srs) == 60
    compromise = second["Mensheviks"] + second["Socialist Revolutionaries"]
    assert compromise * 4 < 650  # under 25 percent


def test_the_second_congress_votes_walkout_and_proclamation(petrograd: Replay) -> None:
    view = sitting(petrograd, CONGRESS, "First sitting of the Second Congress")
    assert counts(motion(view, "All power to the soviets"))[0] == 505
    (walkout,) = view.walkouts
    assert len(walkout.names) == 60  # "altogether sixty men, about one-tenth"
    proclamation = motion(view, "To workers, soldiers and peasants")
    assert counts(proclamation) == (576, 2, 12)  # all but two, twelve abstaining
    assert proclamation.status.value == "carried"


def test_the_new_cec_of_101_and_the_old_one_in_office_until_then(petrograd: Replay) -> None:
    assert sum(seats(petrograd, CEC, "1917-10-26T12:00").values()) == 320
    new = seats(petrograd, CEC, "1917-10-28")
    assert sum(new.values()) == 101
    assert new["Bolsheviks"] == 62
    assert new["Left Socialist Revolutionaries"] == 29
    chair = find_council(petrograd.uow, "Chairman of the CEC")
    holder = council_composition(petrograd.uow, chair.id, moment("1917-10-28"))
    assert [d.member.name for d in holder.delegates] == ["Lev Kamenev"]


def test_the_cec_lags_behind_the_soviets_until_the_second_congress(petrograd: Replay) -> None:
    cec = find_council(petrograd.uow, CEC).id

    def lag(at: str) -> float:
        view = representation_lag(petrograd.uow, cec, moment(at), Target.BASE)
        value = view.lag.loosemore_hanby
        assert value is not None
        return value

    june, september, october, after = (
        lag("1917-07-01"),
        lag("1917-09-30"),
        lag("1917-10-24"),
        lag("1917-10-28"),
    )
    assert june < september < october  # rising as the soviets below turn
    assert after < october / 2  # collapsing when the Second Congress elects a new CEC


# -- the ledger --------------------------------------------------------------------------------


def test_the_replay_verifies(petrograd: Replay) -> None:
    assert verify_ledger(petrograd.uow).ok


def test_a_second_replay_records_the_same_ledger_byte_for_byte(
    petrograd: Replay, sqlite_template: Path, tmp_path: Path
) -> None:
    path = tmp_path / "again.sqlite3"
    shutil.copy(sqlite_template, path)
    again = connect(f"sqlite:///{path}")
    replay(UnitOfWork(again), load_scenario(find_scenario("petrograd-1917")))
    query = select(events.c.seq, events.c.body, events.c.hash).order_by(events.c.seq)
    with petrograd.engine.connect() as first, again.connect() as second:
        assert first.execute(query).all() == second.execute(query).all()
    again.dispose()
