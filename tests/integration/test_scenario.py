"""Replaying a scenario file through the services, on SQLite and PostgreSQL: what it
records, that two replays record the same ledger byte for byte, and that a refused
scenario changes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from smolny.domain.errors import InvalidInput, NotFound
from smolny.scenario.files import find_scenario, load_scenario
from smolny.scenario.replay import ScenarioError, replay
from smolny.services.chronicle import chronicle
from smolny.services.composition import council_composition
from smolny.services.lookup import find_council
from smolny.services.orders import faction_status
from smolny.services.sittings import sitting_view, sittings_of_council
from smolny.services.verify import verify_ledger
from smolny.store.database import connect
from smolny.store.tables import events
from smolny.store.uow import UnitOfWork
from tests.conftest import at

SMALL = Path(__file__).parents[1] / "data" / "scenario_small.yaml"


def ledger_rows(engine: Engine) -> list[tuple[int, str, str]]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(events.c.seq, events.c.body, events.c.hash).order_by("seq")
        )
        return [(int(seq), str(body), str(hash_)) for seq, body, hash_ in rows]


def test_replay_records_what_the_file_says_through_the_services(uow: UnitOfWork) -> None:
    result = replay(uow, load_scenario(SMALL))
    assert [title for _, title, _ in result.entries] == [
        "The town council is founded",
        "First elections",
        "The strike sitting",
        "Re-election at the Mill",
    ]
    council = find_council(uow, "Town Council")
    # Mill: ratio 500 over 3,000 reported electors = 6 seats, D'Hondt 1000/2000 -> 2/4;
    # Depot: 1,500 electors = 3 seats, 900/450 -> 2/1.
    march = council_composition(uow, council.id, at("2026-03-11"))
    assert march.seats == 9
    assert march.seats_by_faction() == {"Blues": 6, "Reds": 3}
    may = council_composition(uow, council.id, at("2026-05-03"))
    assert may.seats_by_faction() == {"Reds": 5, "Blues": 4}  # Mill 2100/900 -> 4/2
    depot = [d for d in may.delegates if d.origin == "Depot"]
    assert "Ada Driver" in {d.member.name for d in depot}  # named first on the Blues' list
    executive = council_composition(uow, find_council(uow, "Town Executive").id, at("2026-03-11"))
    assert executive.seats_by_faction() == {"Blues": 2, "Reds": 1}
    chair = council_composition(uow, find_council(uow, "Chair").id, at("2026-05-03"))
    assert [d.member.name for d in chair.delegates] == ["Mill Reds 1"]
    # The sitting: 8 checked in, a Blue walked out, the motion lost 3-4.
    (summary,) = sittings_of_council(uow, council.id, at("2026-05-03"))
    view = sitting_view(uow, summary.sitting.id, at("2026-05-03"))
    assert view.sitting.title == "Sitting on the strike"
    (walkout,) = view.walkouts
    assert len(walkout.names) == 1
    (motion,) = view.motions
    (vote,) = motion.votes
    assert (vote.vote.yes, vote.vote.no, vote.vote.abstain) == (3, 4, 0)
    assert motion.status.value == "lost"
    blues = next(f for f in march.factions if f.name == "Blues")
    assert faction_status(uow, blues.id, at("2026-05-03")).state.value == "suspended"
    entries = chronicle(uow, result.chronicle_organization_id)
    assert entries[0].title == "The town council is founded"
    assert entries[0].sources[0].url == "https://example.org/minutes"
    assert entries[1].assumptions == (
        "The Depot's votes are as the paper gives them; the Mill's are estimated.",
    )
    assert entries[1].sources[0].url == ""  # a source with no address
    assert verify_ledger(uow).ok


def test_two_replays_record_the_same_ledger_byte_for_byte(
    engine: Engine, uow: UnitOfWork, sqlite_template: Path, tmp_path: Path
) -> None:
    """On this backend and on a fresh SQLite database: same bodies, same hash chain."""
    scenario = load_scenario(SMALL)
    replay(uow, scenario)
    other_path = tmp_path / "other.sqlite3"
    shutil.copy(sqlite_template, other_path)
    other = connect(f"sqlite:///{other_path}")
    replay(UnitOfWork(other), scenario)
    first, second = ledger_rows(engine), ledger_rows(other)
    other.dispose()
    assert len(first) == 34
    assert first == second


def test_a_refused_action_names_its_place_and_changes_nothing(
    engine: Engine, uow: UnitOfWork, tmp_path: Path
) -> None:
    text = SMALL.read_text().replace("delegates: {Blues: 1}", "delegates: {Blues: 9}")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    with pytest.raises(ScenarioError) as refused:
        replay(uow, load_scenario(bad))
    assert refused.value.message == (
        "event 3 (2026-04-02 18:00:00, 'The strike sitting'), action 1 (sitting), "
        "sitting 'Sitting on the strike', step 4 (walk_out): 9 of Blues walk out, but only 5 can"
    )
    assert ledger_rows(engine) == []


def test_replaying_twice_into_one_database_is_refused(engine: Engine, uow: UnitOfWork) -> None:
    replay(uow, load_scenario(SMALL))
    before = ledger_rows(engine)
    with pytest.raises(ScenarioError, match="an organization named 'Town Workers' already exists"):
        replay(uow, load_scenario(SMALL))
    assert ledger_rows(engine) == before


def test_scenario_files_are_checked_with_their_place(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("format: 1\nname: x\n  title: X\n")
    with pytest.raises(InvalidInput, match=r"broken.yaml:3:8: not valid YAML"):
        load_scenario(broken)
    unknown = tmp_path / "unknown.yaml"
    unknown.write_text(
        "format: 1\nname: x\ntitle: X\nchronicle: O\nevents:\n"
        "  - at: 2026-01-01\n    title: Founding\n    do:\n      - organisation: {name: O}\n"
    )
    with pytest.raises(InvalidInput, match=r"event 1 \('Founding'\), action 1: .*unknown action"):
        load_scenario(unknown)
    uncited = tmp_path / "uncited.yaml"
    uncited.write_text(
        "format: 1\nname: x\ntitle: X\nchronicle: O\nevents:\n"
        "  - at: 2026-01-01\n    title: Founding\n    sources: [nowhere]\n"
    )
    with pytest.raises(InvalidInput, match="cites 'nowhere', which is not among the sources"):
        load_scenario(uncited)
    with pytest.raises(NotFound, match="no scenario named 'atlantis'"):
        find_scenario("atlantis")
