"""Composition from records, without a database."""

from datetime import UTC, datetime

from smolny.domain.composition import NON_PARTY, compose
from smolny.domain.federation import (
    Constituency,
    ConstituencyKind,
    Council,
    CouncilKind,
    Faction,
    Member,
    RecallBasis,
    Section,
)
from smolny.domain.mandates import Mandate, SeatAllocation

T = datetime(1917, 9, 25, tzinfo=UTC)
SOVIET = Council(1, 1, "Petrograd Soviet", "petrograd-soviet", CouncilKind.COUNCIL, None, T)
WORKERS, SOLDIERS = Section(1, 1, "Workers"), Section(2, 1, "Soldiers")
BOLSHEVIKS = Faction(1, 1, "Bolsheviks", "B", "#c0392b")
SRS = Faction(2, 1, "SRs", "SR", "#239b56")


def constituency(cid: int, name: str, section: Section) -> Constituency:
    return Constituency(
        cid, 1, name, ConstituencyKind.WORKPLACE, section.id, None, RecallBasis.MEMBERS, 1, 2, T
    )


PUTILOV = constituency(1, "Putilov works", WORKERS)
PAVLOVSKY = constituency(2, "Pavlovsky regiment", SOLDIERS)


def mandate(mid: int, member: int, faction: Faction | None, where: Constituency) -> Mandate:
    return Mandate(
        mid, 1, member, faction.id if faction else None, where.section_id, where.id, None, 1, T
    )


def members(n: int) -> dict[int, Member]:
    return {i: Member(i, 1, str(i), f"Deputy {i:02d}", None, T) for i in range(1, n + 1)}


def test_seats_filled_and_vacant_by_faction_and_section() -> None:
    composition = compose(
        SOVIET,
        T,
        allocations=[SeatAllocation(1, 1, 1, 4, T), SeatAllocation(2, 1, 2, 3, T)],
        mandates=[
            mandate(1, 1, BOLSHEVIKS, PUTILOV),
            mandate(2, 2, BOLSHEVIKS, PUTILOV),
            mandate(3, 3, SRS, PUTILOV),
            mandate(4, 4, SRS, PAVLOVSKY),
            mandate(5, 5, None, PAVLOVSKY),
        ],
        members=members(5),
        factions=[BOLSHEVIKS, SRS],
        sections=[WORKERS, SOLDIERS],
        constituencies={1: PUTILOV, 2: PAVLOVSKY},
        councils={1: SOVIET},
    )
    assert (composition.seats, composition.filled, composition.vacant) == (7, 5, 2)
    assert composition.seats_by_faction() == {"Bolsheviks": 2, "SRs": 2, NON_PARTY: 1}
    sections = {s.section.name: (s.seats, s.factions) for s in composition.sections}
    assert sections == {
        "Workers": (4, {"Bolsheviks": 2, "SRs": 1}),
        "Soldiers": (3, {"SRs": 1, NON_PARTY: 1}),
    }
    # Delegates in faction order (creation order, non-party last), then by name.
    assert [d.member.name for d in composition.delegates] == [
        "Deputy 01",
        "Deputy 02",
        "Deputy 03",
        "Deputy 04",
        "Deputy 05",
    ]
    assert composition.delegates[0].origin == "Putilov works"


def test_an_empty_council() -> None:
    composition = compose(
        SOVIET,
        T,
        allocations=[],
        mandates=[],
        members={},
        factions=[BOLSHEVIKS],
        sections=[],
        constituencies={},
        councils={1: SOVIET},
    )
    assert (composition.seats, composition.filled, composition.vacant) == (0, 0, 0)
    assert composition.seats_by_faction() == {}


def test_a_mandate_is_active_from_its_start_until_its_end() -> None:
    later = datetime(1917, 10, 25, tzinfo=UTC)
    m = Mandate(1, 1, 1, None, None, 1, None, 1, T, valid_to=later)
    assert m.active_at(T)
    assert not m.active_at(later)
    assert not m.active_at(datetime(1917, 9, 1, tzinfo=UTC))
