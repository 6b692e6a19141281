"""A council's composition at a moment: who holds its seats, by faction and section."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from smolny.domain.federation import Constituency, Council, Faction, Member, Section
from smolny.domain.mandates import Mandate, SeatAllocation

NON_PARTY = "Non-party"


@dataclass(frozen=True)
class Delegate:
    mandate: Mandate
    member: Member
    faction: Faction | None
    section: Section | None
    origin: str  # the constituency or council that sent the delegate

    @property
    def faction_name(self) -> str:
        return self.faction.name if self.faction else NON_PARTY


@dataclass(frozen=True)
class SectionSeats:
    section: Section
    seats: int
    factions: dict[str, int]


@dataclass(frozen=True)
class Composition:
    council: Council
    at: datetime
    seats: int  # seats the council has at that moment, filled or not
    delegates: tuple[Delegate, ...]  # ordered by faction (creation order), then name
    factions: tuple[Faction, ...]  # every faction of the organization, in creation order
    sections: tuple[SectionSeats, ...]

    @property
    def filled(self) -> int:
        return len(self.delegates)

    @property
    def vacant(self) -> int:
        return max(self.seats - self.filled, 0)

    def seats_by_faction(self) -> dict[str, int]:
        """Filled seats per faction name, factions in creation order, non-party last."""
        return _count_by_faction(self.delegates, self.factions)


def compose(
    council: Council,
    at: datetime,
    *,
    allocations: Iterable[SeatAllocation],
    mandates: Iterable[Mandate],
    members: Mapping[int, Member],
    factions: Sequence[Faction],
    sections: Sequence[Section],
    constituencies: Mapping[int, Constituency],
    councils: Mapping[int, Council],
) -> Composition:
    """Assemble the composition from the records in force at `at` (the caller filters them)."""
    faction_by_id = {f.id: f for f in factions}
    section_by_id = {s.id: s for s in sections}
    order = {f.id: i for i, f in enumerate(factions)}

    def origin(m: Mandate) -> str:
        if m.constituency_id is not None:
            return constituencies[m.constituency_id].name
        if m.origin_council_id is not None:
            return councils[m.origin_council_id].name
        return ""

    delegates = sorted(
        (
            Delegate(
                mandate=m,
                member=members[m.member_id],
                faction=faction_by_id.get(m.faction_id) if m.faction_id is not None else None,
                section=section_by_id.get(m.section_id) if m.section_id is not None else None,
                origin=origin(m),
            )
            for m in mandates
        ),
        key=lambda d: (
            order.get(d.mandate.faction_id, len(order)) if d.mandate.faction_id else len(order),
            d.member.name,
            d.mandate.id,
        ),
    )
    allocations = list(allocations)
    section_seats = []
    for section in sections:
        seats = sum(
            a.seats
            for a in allocations
            if a.constituency_id is not None
            and constituencies[a.constituency_id].section_id == section.id
        )
        in_section = [d for d in delegates if d.mandate.section_id == section.id]
        section_seats.append(SectionSeats(section, seats, _count_by_faction(in_section, factions)))
    return Composition(
        council=council,
        at=at,
        seats=sum(a.seats for a in allocations),
        delegates=tuple(delegates),
        factions=tuple(factions),
        sections=tuple(section_seats),
    )


def _count_by_faction(delegates: Iterable[Delegate], factions: Sequence[Faction]) -> dict[str, int]:
    counts = Counter(d.faction_name for d in delegates)
    ordered = {f.name: counts[f.name] for f in factions if counts[f.name]}
    if counts[NON_PARTY]:
        ordered[NON_PARTY] = counts[NON_PARTY]
    return ordered
