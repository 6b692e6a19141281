"""Exporting an organization's history as a scenario (format 1, docs/scenarios.md).

The organization's events are read from the ledger, in order, and each becomes the action
that records it again: replayed into a fresh database, the scenario gives the same councils,
members, seats, mandates, sittings, orders and chronicle. Events are grouped by moment into
the scenario's events; a chronicle entry starts one and gives it its words (title, text,
sources, assumptions); without one, the event is titled by what happened.

What the format cannot express (a secret vote, a recall petition, an order withdrawn) is
refused with the ledger event that holds it, never left out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, partial
from typing import Any

import yaml

from smolny.domain.apportionment import DivisorMethod, Quota
from smolny.domain.chronicle import ChronicleEntered
from smolny.domain.congress import (
    CongressApportioned,
    CongressClosed,
    CongressConvened,
    CredentialsChecked,
    PetitionOpened,
    PetitionSigned,
    PetitionVoted,
)
from smolny.domain.elections import LIST_METHODS, RANKED_METHODS, ElectionKind, ElectionMethod
from smolny.domain.errors import InvalidInput
from smolny.domain.events import (
    CommitteeElected,
    ConstituencyCreated,
    CouncilCreated,
    DelegatesElected,
    ElectorsReported,
    FactionCreated,
    MandateResigned,
    MemberEnrolled,
    MembersEnrolled,
    MembershipStarted,
    NewMandate,
    OrganizationCreated,
    PowersGranted,
    RecallVoted,
    Recorded,
    SeatsApportioned,
    SectionCreated,
    StandingRulesSet,
)
from smolny.domain.federation import (
    ConstituencyKind,
    CouncilKind,
    Power,
    RecallBasis,
)
from smolny.domain.orders import (
    AuthorityCreated,
    CountersignatureGranted,
    CountersignatureRevoked,
    FactionSanctioned,
    FactionSanctionLifted,
    OrderCountersigned,
    OrderIssued,
    OrderRefused,
    OrderWithdrawn,
    UnitCreated,
)
from smolny.domain.seat_rules import (
    DivisorRule,
    FixedRule,
    QuotaRule,
    RatioRule,
    SeatRule,
    StepRule,
    rule_text,
)
from smolny.domain.sittings import (
    AgendaItemAdded,
    AgendaItemTakenUp,
    DelegatesCheckedIn,
    DelegatesLeft,
    FactionLineAdopted,
    FloorGiven,
    ItemKind,
    MotionTabled,
    Outcome,
    RollCallVoteCast,
    SecretBallotCast,
    SittingClosed,
    SittingConvened,
    SittingElectionHeld,
    SittingOpened,
    SpeakerListed,
    VoteClosed,
    VoteMode,
    VoteOpened,
    WalkedOut,
)
from smolny.ledger.chain import unseal
from smolny.scenario import format as f
from smolny.services.lookup import find_organization
from smolny.store.uow import UnitOfWork

Document = dict[str, Any]


class CannotExport(InvalidInput):
    """A ledger event the scenario format cannot express, named by its number and kind."""


def export_scenario(uow: UnitOfWork, organization: str, *, utc_offset: str = "+00:00") -> Document:
    """The organization's history (its id, name or slug) as a scenario document, checked
    against the format; dates and times are written in the local time `utc_offset`."""
    offset = utc_offset.strip()
    if not re.fullmatch(r"[+-]\d\d:\d\d", offset) or abs(int(offset[1:3])) > 23:
        raise InvalidInput(f"{utc_offset!r} is not a UTC offset like +03:00", field="utc_offset")
    with uow:
        found = find_organization(uow, organization)
        recorded = [
            unseal(stored)[0]
            for stored in uow.ledger.stored()
            if stored.organization_id == found.id
        ]
    document = _Export(recorded, offset).document()
    f.Scenario.model_validate(document)  # what is written is what the replay reads
    return document


def export_yaml(uow: UnitOfWork, organization: str, *, utc_offset: str = "+00:00") -> str:
    """The organization's history as the text of a scenario file."""
    return scenario_yaml(export_scenario(uow, organization, utc_offset=utc_offset))


# -- the exporter ------------------------------------------------------------------------------


@dataclass
class _Group:
    """A scenario event in the making: ledger events of one moment (a sitting may run on)."""

    at: dt.datetime
    last: dt.datetime  # the moment the replay will be at after the actions so far
    entry: ChronicleEntered | None = None
    actions: list[Document] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)


@dataclass
class _Mandate:
    council_id: int
    member_id: int
    faction_id: int | None
    constituency_id: int | None  # None: a committee seat


@dataclass
class _Item:
    position: int
    kind: ItemKind
    elected: bool = False  # an election item that has held its election


@dataclass
class _SittingState:
    """What the replay's sitting knows: the motion it votes on, the motions by title, the
    item before it; and who sits by which seat."""

    convened: Recorded
    chair: int | None = None
    motion_id: int | None = None
    titles: dict[str, int] = field(default_factory=dict)  # title -> latest motion id
    motions: dict[int, str] = field(default_factory=dict)  # motion id -> title
    items: dict[int, _Item] = field(default_factory=dict)
    current_item: int | None = None
    stays: dict[int, tuple[int, int]] = field(default_factory=dict)  # attendance: member, seat
    here: set[int] = field(default_factory=set)  # the members present


class _Export:
    def __init__(self, events: list[Recorded], offset: str) -> None:
        self.events = events
        self.offset = offset
        self.tz = dt.datetime.fromisoformat(f"2000-01-01T00:00{offset}").tzinfo
        self.groups: list[_Group] = []
        self.organization = ""
        self.slug = ""
        self.councils: dict[int, str] = {}
        self.sections: dict[int, str] = {}
        self.factions: dict[int, str] = {}
        self.constituencies: dict[int, tuple[int, str]] = {}  # id -> council id, name
        self.lower: dict[int, int] = {}  # congress constituency -> lower council
        self.constituency_sections: dict[int, int | None] = {}
        self.units: dict[int, str] = {}
        self.authorities: dict[int, str] = {}
        self.orders: dict[int, str] = {}
        self.mandates: dict[int, _Mandate] = {}
        self.active: set[int] = set()  # the mandates held now
        self.faction_shorts: dict[int, str] = {}
        self.until: dt.datetime | None = None  # where a sitting leaves the replay's clock
        self.convocations: dict[int, int] = {}  # convocation -> congress
        self.sources: dict[tuple[str, str], str] = {}
        self.enrolled = 0  # members enrolled so far: the next one's id in a fresh database
        self.numbered: dict[tuple[str, str], int] = {}  # members named by the pattern so far
        self.enrolled_in: dict[int, set[int]] = {}  # constituency -> its members
        self.member_faction: dict[int, int | None] = {}
        self.members: dict[int, tuple[str, str]] = {}  # id -> name, number
        self.by_number: set[int] = set()  # members named by their number
        self._member_refs()

    # -- names ------------------------------------------------------------------------------

    def _member_refs(self) -> None:
        """Members are named by name, or by number where a name recurs or could be read as
        another member's number (the replay looks numbers up first)."""
        rows: list[tuple[int, str, str]] = []
        for r in self.events:
            match r.event:
                case MemberEnrolled() as e:
                    rows.append((e.member_id, e.name, e.number))
                case MembersEnrolled() as e:
                    rows.extend((m.member_id, m.name, m.number) for m in e.members)
        names: dict[str, int] = {}
        for _, name, _ in rows:
            names[name] = names.get(name, 0) + 1
        numbers = {number for _, _, number in rows}
        for mid, name, number in rows:
            self.members[mid] = (name, number)
            if names[name] > 1 or name in numbers or " ".join(name.split()) != name:
                self.by_number.add(mid)

    def member(self, member_id: int) -> str:
        name, number = self.members[member_id]
        return number if member_id in self.by_number else name

    def constituency(self, constituency_id: int) -> str:
        council_id, name = self.constituencies[constituency_id]
        return f"{self.councils[council_id]}/{name}"

    # -- the document -----------------------------------------------------------------------

    def document(self) -> Document:
        index = 0
        while index < len(self.events):
            recorded = self.events[index]
            if isinstance(recorded.event, ChronicleEntered):
                self._entry(recorded)
                index += 1
                continue
            group = self._group(recorded.at)
            used = self._translate(index, group)
            group.last = self.until or self.events[index + used - 1].at
            self.until = None
            index += used
        events = [self._event(g) for g in self.groups]
        first, last = self.groups[0].at, self.groups[-1].at
        span = first.astimezone(self.tz).date().isoformat()
        if last.astimezone(self.tz).date() != first.astimezone(self.tz).date():
            span += f" to {last.astimezone(self.tz).date().isoformat()}"
        document: Document = {
            "format": f.FORMAT,
            "name": re.sub(r"[^a-z0-9]+", "-", self.slug.lower()).strip("-") or "organization",
            "title": self.organization,
            "summary": f"The history of {self.organization}, {span}, as its ledger records "
            "it (exported by smolny export).",
            "calendar": f"Dates in the Gregorian calendar, local time UTC{self.offset}.",
            "utc_offset": self.offset,
            "chronicle": self.organization,
        }
        if self.sources:
            document["sources"] = {
                key: {"label": label, **({"url": url} if url else {})}
                for (label, url), key in self.sources.items()
            }
        document["events"] = events
        return document

    def _entry(self, recorded: Recorded) -> None:
        """A chronicle entry starts a scenario event; the replay enters it right after
        creating the organizations of the event, so it may follow them."""
        entry = recorded.event
        assert isinstance(entry, ChronicleEntered)
        last = self.groups[-1] if self.groups else None
        founding = (
            last is not None
            and last.entry is None
            and last.at == last.last == recorded.at
            and all("organization" in a for a in last.actions)
        )
        if last is not None and founding:
            last.entry = entry
        else:
            self.groups.append(_Group(recorded.at, recorded.at, entry))
        for label, url in zip(entry.source_labels, entry.source_urls, strict=True):
            if (label, url) not in self.sources:
                self.sources[label, url] = self._source_key(label)

    def _source_key(self, label: str) -> str:
        words = [w for w in re.findall(r"[a-z0-9]+", label.lower()) if w not in _SMALL_WORDS]
        words = words[:2]
        base = "-".join(words) or "source"
        taken = set(self.sources.values())
        key, n = base, 1
        while key in taken:
            n += 1
            key = f"{base}-{n}"
        return key

    def _group(self, moment: dt.datetime) -> _Group:
        if not self.groups or self.groups[-1].last != moment:
            self.groups.append(_Group(moment, moment))
        return self.groups[-1]

    def _event(self, group: _Group) -> Document:
        event: Document = {"at": self._when(group.at)}
        entry = group.entry
        if entry is not None:
            event["title"] = entry.title
            if entry.text:
                event["text"] = entry.text
            if entry.source_labels:
                event["sources"] = [
                    self.sources[pair]
                    for pair in zip(entry.source_labels, entry.source_urls, strict=True)
                ]
            if entry.assumptions:
                event["assumptions"] = list(entry.assumptions)
        else:
            event["title"] = _title(group.actions, group.phrases)
        if group.actions:
            event["do"] = group.actions
        return event

    def _when(self, moment: dt.datetime) -> dt.date | str:
        """A date (noon, local time) or a local date and time."""
        local = moment.astimezone(self.tz)
        if local.time() == dt.time(12, 0):
            return local.date()
        return local.date().isoformat() + "T" + _clock(local)

    def _step_time(self, moment: dt.datetime, current: dt.datetime) -> str:
        local, before = moment.astimezone(self.tz), current.astimezone(self.tz)
        if local.date() == before.date():
            return _clock(local)
        return local.date().isoformat() + "T" + _clock(local)

    # -- translating ledger events ----------------------------------------------------------

    def refuse(self, recorded: Recorded, what: str) -> CannotExport:
        return CannotExport(
            f"event #{recorded.seq} ({recorded.event.kind}): version {f.FORMAT} of the "
            f"scenario format cannot express {what}"
        )

    def _translate(self, index: int, group: _Group) -> int:
        """Add the actions of the ledger event at `index` (and of the events that belong
        with it) to the group; how many ledger events they take."""
        recorded = self.events[index]
        after = self.events[index + 1] if index + 1 < len(self.events) else None

        def emit(name: str, arguments: Document, phrase: str) -> None:
            group.actions.append({name: arguments})
            group.phrases.append(phrase)

        match recorded.event:
            case OrganizationCreated() as e:
                self.organization, self.slug = e.name, e.slug
                emit("organization", {"name": e.name}, f"{e.name} founded")
            case FactionCreated() as e:
                if "/" in e.name:  # the replay reads ORGANIZATION/FACTION
                    raise self.refuse(recorded, f"a faction whose name has a '/' ({e.name!r})")
                self.factions[e.faction_id] = e.name
                self.faction_shorts[e.faction_id] = e.short_name
                emit(
                    "faction",
                    {
                        "organization": self.organization,
                        "name": e.name,
                        "short": e.short_name,
                        "color": e.color,
                    },
                    f"the faction {e.name} formed",
                )
            case CouncilCreated() as e:
                return self._council(recorded, e, emit)
            case SectionCreated() as e:
                self.sections[e.section_id] = e.name
                council = self.councils[e.council_id]
                emit("section", {"council": council, "name": e.name}, f"sections of {council}")
            case StandingRulesSet() as e:
                council = self.councils[e.council_id]
                emit(
                    "standing_rules",
                    {
                        "council": council,
                        "quorum": f"{e.quorum_numerator}/{e.quorum_denominator}",
                        "majority": e.majority.value,
                    },
                    f"standing rules of {council}",
                )
            case PowersGranted() as e:
                grant = after.event if after is not None else None
                if (
                    isinstance(grant, CountersignatureGranted)
                    and grant.council_id == e.council_id
                    and grant.decision == e.decision
                    and e.granted == (Power.COUNTERSIGN,)
                    and not e.revoked
                ):  # the power that comes with a first countersignature grant
                    self._countersignature(grant, emit)
                    return 2
                council = self.councils[e.council_id]
                arguments: Document = {"council": council}
                if e.granted:
                    arguments["grant"] = [p.value for p in e.granted]
                if e.revoked:
                    arguments["revoke"] = [p.value for p in e.revoked]
                arguments["decision"] = e.decision
                emit("powers", arguments, f"powers of {council}")
            case ConstituencyCreated() as e:
                return self._constituency(recorded, e, after, emit)
            case ElectorsReported() as e:
                if e.electors is None:
                    raise self.refuse(
                        recorded, "a return to counting members after reported electors"
                    )
                emit(
                    "electors",
                    {"constituency": self.constituency(e.constituency_id), "electors": e.electors},
                    f"electors reported at {self.constituencies[e.constituency_id][1]}",
                )
            case MemberEnrolled() | MembersEnrolled():
                return self._enroll(index, emit)
            case MembershipStarted():
                raise self.refuse(
                    recorded, "a member joining a constituency after they were enrolled"
                )
            case SeatsApportioned() as e:
                return self._apportion(recorded, e, after, emit)
            case DelegatesElected() as e:
                self._delegates(recorded, e, emit)
            case CommitteeElected() as e:
                arguments = self._committee(recorded, e)
                emit("elect_committee", arguments, f"{self.councils[e.committee_id]} elected")
            case RecallVoted() as e:
                mandate = self.mandates[e.mandate_id]
                who = self.member(mandate.member_id)
                arguments = {"council": self.councils[mandate.council_id], "member": who}
                arguments |= {"votes_for": e.votes_for, "votes_against": e.votes_against}
                if e.abstentions:
                    arguments["abstentions"] = e.abstentions
                emit("recall", arguments, f"recall vote on {self.members[mandate.member_id][0]}")
                if e.carried:
                    self._end((e.mandate_id, *e.unseated_mandate_ids))
            case MandateResigned() as e:
                mandate = self.mandates[e.mandate_id]
                emit(
                    "resign",
                    {
                        "council": self.councils[mandate.council_id],
                        "member": self.member(mandate.member_id),
                    },
                    f"{self.members[mandate.member_id][0]} resigns",
                )
                self._end((e.mandate_id, *e.unseated_mandate_ids))
            case CongressConvened() as e:
                self.convocations[e.convocation_id] = e.council_id
                congress = self.councils[e.council_id]
                emit("convene", {"congress": congress, "name": e.name}, f"{e.name} opens")
            case CongressClosed() as e:
                congress = self.councils[self.convocations[e.convocation_id]]
                emit("close_congress", {"congress": congress}, f"{congress} closes")
            case CredentialsChecked():
                return self._credentials(index, emit)
            case SittingConvened():
                return self._sitting(index, emit)
            case UnitCreated() as e:
                if e.name in self.units.values():
                    raise self.refuse(recorded, f"a second unit named {e.name!r}")
                self.units[e.unit_id] = e.name
                arguments = {"organization": self.organization, "name": e.name}
                arguments["kind"] = e.unit_kind.value
                if e.constituency_id is not None:
                    arguments["constituency"] = self.constituency(e.constituency_id)
                emit("unit", arguments, f"the unit {e.name}")
            case AuthorityCreated() as e:
                if e.name in self.authorities.values() or e.name in self.councils.values():
                    raise self.refuse(recorded, f"a second authority or body named {e.name!r}")
                self.authorities[e.authority_id] = e.name
                emit(
                    "authority",
                    {
                        "organization": self.organization,
                        "name": e.name,
                        "kind": e.authority_kind.value,
                    },
                    f"the authority {e.name}",
                )
            case CountersignatureGranted() as e:
                self._countersignature(e, emit)
            case OrderIssued() as e:
                if e.title in self.orders.values():
                    raise self.refuse(recorded, f"a second order titled {e.title!r}")
                self.orders[e.order_id] = e.title
                by = (
                    self.councils[e.issuer_council_id]
                    if e.issuer_council_id is not None
                    else self.authorities[e.issuer_authority_id or 0]
                )
                arguments = {
                    "title": e.title,
                    "by": by,
                    "units": [self.units[a.unit_id] for a in e.addressees],
                }
                if e.text:
                    arguments["text"] = e.text
                if e.countermands_id is not None:
                    arguments["countermands"] = self.orders[e.countermands_id]
                emit("order", arguments, f"order: {e.title}")
            case OrderCountersigned() as e:
                council, order = self.councils[e.council_id], self.orders[e.order_id]
                emit(
                    "countersign",
                    {"order": order, "council": council},
                    f"{council} countersigns {order}",
                )
            case OrderRefused() as e:
                council, order = self.councils[e.council_id], self.orders[e.order_id]
                arguments = {"order": order, "council": council}
                if e.reason:
                    arguments["reason"] = e.reason
                emit("refuse", arguments, f"{council} refuses {order}")
            case FactionSanctioned() as e:
                council, faction = self.councils[e.council_id], self.factions[e.faction_id]
                arguments = {
                    "faction": faction,
                    "council": council,
                    "kind": e.sanction_kind.value,
                    "effects": list(e.effects),
                }
                if e.decision:
                    arguments["decision"] = e.decision
                verb = "suspends" if e.sanction_kind.value == "suspension" else "bans"
                emit("sanction", arguments, f"{council} {verb} {faction}")
            case OrderWithdrawn():
                raise self.refuse(recorded, "an order withdrawn by its issuer")
            case CountersignatureRevoked():
                raise self.refuse(recorded, "countersignature power revoked")
            case FactionSanctionLifted():
                raise self.refuse(recorded, "a faction sanction lifted")
            case PetitionOpened() | PetitionSigned() | PetitionVoted():
                raise self.refuse(recorded, "a recall petition (its opening and signatures)")
            case _:
                raise self.refuse(recorded, "this kind of change")
        return 1

    # -- setting up -------------------------------------------------------------------------

    def _council(self, recorded: Recorded, e: CouncilCreated, emit: Emit) -> int:
        if e.name in self.councils.values() or e.name in self.authorities.values():
            raise self.refuse(recorded, f"a second body or authority named {e.name!r}")
        self.councils[e.council_id] = e.name
        arguments: Document = {"organization": self.organization, "name": e.name}
        if e.council_kind is not CouncilKind.COUNCIL:
            arguments["kind"] = e.council_kind.value
        if e.parent_id is not None:
            arguments["parent"] = self.councils[e.parent_id]
        if e.powers:
            arguments["powers"] = [p.value for p in e.powers]
        emit("council", arguments, f"{e.name} set up")
        return 1

    def _constituency(
        self,
        recorded: Recorded,
        e: ConstituencyCreated,
        after: Recorded | None,
        emit: Emit,
    ) -> int:
        if "/" in e.name:
            raise self.refuse(recorded, f"a constituency whose name has a '/' ({e.name!r})")
        self.constituencies[e.constituency_id] = (e.council_id, e.name)
        arguments: Document = {"council": self.councils[e.council_id], "name": e.name}
        if e.constituency_kind is not ConstituencyKind.WORKPLACE:
            arguments["kind"] = e.constituency_kind.value
        if e.section_id is not None:
            arguments["section"] = self.sections[e.section_id]
        if e.lower_council_id is not None:
            arguments["lower_council"] = self.councils[e.lower_council_id]
            self.lower[e.constituency_id] = e.lower_council_id
        self.constituency_sections[e.constituency_id] = e.section_id
        if e.recall_basis is not RecallBasis.MEMBERS:
            arguments["recall_basis"] = e.recall_basis.value
        if (e.recall_share_numerator, e.recall_share_denominator) != (1, 2):
            arguments["recall_share"] = f"{e.recall_share_numerator}/{e.recall_share_denominator}"
        if (e.petition_share_numerator, e.petition_share_denominator) != (1, 5):
            raise self.refuse(recorded, "a petition share other than 1/5")
        used = 1
        if (
            after is not None
            and isinstance(after.event, ElectorsReported)
            and after.event.constituency_id == e.constituency_id
            and after.event.electors is not None
            and after.at == recorded.at
        ):
            arguments["electors"] = after.event.electors
            used = 2
        emit("constituency", arguments, f"the constituency {e.name} set up")
        return used

    def _enroll(self, index: int, emit: Emit) -> int:
        """Members enrolled one by one, each in one constituency at most, are told as one
        enrollment of the constituency's members (one at a time, at the same moment)."""
        first = self.events[index]
        if isinstance(first.event, MembersEnrolled):
            many = first.event
            rows = [(m.member_id, m.name, m.faction_id, m.number) for m in many.members]
            self._enroll_rows(many.constituency_id, rows, emit)
            return 1
        rows = []
        place: int | None = None
        used = 0
        while index + used < len(self.events):
            recorded = self.events[index + used]
            if not isinstance(recorded.event, MemberEnrolled) or recorded.at != first.at:
                break
            e = recorded.event
            joins = []
            for later in range(index + used + 1, len(self.events)):
                join = self.events[later]
                if not isinstance(join.event, MembershipStarted):
                    break
                if join.event.member_id != e.member_id:
                    raise self.refuse(join, "a member joining a constituency after enrolling")
                joins.append(join.event.constituency_id)
            if len(joins) > 1:
                raise self.refuse(recorded, "a member enrolled in several constituencies")
            where = joins[0] if joins else None
            if rows and where != place:
                break
            place = where
            rows.append((e.member_id, e.name, e.faction_id, e.number))
            used += 1 + len(joins)
        self._enroll_rows(place, rows, emit)
        return used

    def _enroll_rows(
        self,
        constituency_id: int | None,
        rows: list[tuple[int, str, int | None, str]],
        emit: Emit,
    ) -> None:
        members = []
        for member_id, name, faction_id, number in rows:
            self.enrolled += 1
            row: Document = {"name": name}
            if faction_id is not None:
                row["faction"] = self.factions[faction_id]
            # A fresh database numbers a member enrolled without a number by their id.
            if number != str(self.enrolled) or member_id in self.by_number:
                row["number"] = number
            members.append(row)
            self.member_faction[member_id] = faction_id
            if constituency_id is not None:
                self.enrolled_in.setdefault(constituency_id, set()).add(member_id)
        place = "" if constituency_id is None else self.constituencies[constituency_id][1]
        members, numbered = self._numbered(place, members)
        arguments: Document = {"organization": self.organization}
        if constituency_id is not None:
            arguments["constituency"] = self.constituency(constituency_id)
        if members:
            arguments["members"] = members
        if numbered:
            arguments["factions"] = numbered
        count = f"{len(rows)} member{'s' if len(rows) != 1 else ''}"
        emit("enroll", arguments, f"{count} enrolled" + (f" at {place}" if place else ""))

    def _numbered(
        self, place: str, members: list[Document]
    ) -> tuple[list[Document], dict[str, int]]:
        """The members the replay would name itself, as a count per faction: the longest
        tail of the rows made of runs of one faction each, named by the default pattern
        (`{constituency} {faction} {n}`, by the faction's name or short name, n counting on
        from the last such enrollment) and numbered by their ids; the others by name."""
        shorts = {self.factions[fid]: short for fid, short in self.faction_shorts.items()}
        runs: list[tuple[str, int]] = []
        done: set[str] = set()
        end = len(members)
        while end > 0:
            faction = members[end - 1].get("faction")
            if faction is None or faction in done:
                break
            start = end
            while (
                start > 0
                and members[start - 1].get("faction") == faction
                and "number" not in members[start - 1]
            ):
                start -= 1
            found = next(
                (
                    (word, begin)
                    for word in dict.fromkeys((faction, shorts[faction]))
                    if (begin := self._run(place, word, members, start, end)) is not None
                ),
                None,
            )
            if found is None:
                break
            word, begin = found
            runs.append((word, end - begin))
            done.add(faction)
            end = begin
            if begin > start:
                break
        counts = dict(reversed(runs))
        for word, count in counts.items():
            self.numbered[place, word] = self.numbered.get((place, word), 0) + count
        return members[:end], counts

    def _run(
        self, place: str, word: str, members: list[Document], start: int, end: int
    ) -> int | None:
        """Where the tail of members[start:end] named `{place} {word} {n}` begins, n counting
        on from the last enrollment named so; None if the last of them is not so named."""
        prefix = " ".join(f"{place} {word}".split())
        first = self.numbered.get((place, word), 0) + 1
        last = members[end - 1]["name"].removeprefix(prefix + " ")
        if start == end or not last.isdigit() or not last.isascii():
            return None
        begin = end - 1 - (int(last) - first)
        if not start <= begin < end or any(
            members[i]["name"] != f"{prefix} {first + i - begin}" for i in range(begin, end)
        ):
            return None
        return begin

    def _countersignature(self, e: CountersignatureGranted, emit: Emit) -> None:
        council = self.councils[e.council_id]
        emit(
            "countersignature",
            {
                "council": council,
                "units": [self.units[g.unit_id] for g in e.grants],
                "decision": e.decision,
            },
            f"{council} given countersignature",
        )

    # -- seats and elections ----------------------------------------------------------------

    def _apportion(
        self,
        recorded: Recorded,
        e: SeatsApportioned,
        after: Recorded | None,
        emit: Emit,
    ) -> int:
        council = self.councils[e.council_id]
        words, _, ties = e.rule.rpartition("; ties ")
        arguments: Document = {"council": council}
        congress = after.event if after is not None else None
        used = 1
        if isinstance(congress, CongressApportioned) and congress.council_id == e.council_id:
            arguments["rule"] = congress.rule_text
            electors = dict(zip(congress.constituency_ids, congress.electors, strict=True))
            if congress.reported:
                arguments["reported"] = {
                    self.constituencies[cid][1]: electors[cid] for cid in congress.reported
                }
            used = 2
        else:
            rule = _seat_rule(words)
            if rule is None:
                raise self.refuse(recorded, f"the seat rule {words!r}")
            arguments["rule"] = rule_text(rule)
        spec = self._ties(recorded, "ties " + ties)
        if spec:
            arguments["ties"] = spec
        emit("apportion", arguments, f"seats of {council} apportioned")
        return used

    def _ties(self, recorded: Recorded, text: str) -> Document | None:
        """A tie rule from its words (TieBreak.describe)."""
        if text.startswith("ties are not broken"):
            return None
        if not text.startswith("ties go to "):
            raise self.refuse(recorded, f"the tie rule {text!r}")
        rules, seed = [], None
        for part in text.removeprefix("ties go to ").split(", then "):
            lot = re.fullmatch(r"lot \(seed (-?\d+|None)\)", part)
            if part == "the larger vote or membership":
                rules.append("largest")
            elif lot:
                rules.append("lot")
                seed = None if lot.group(1) == "None" else int(lot.group(1))
            else:
                raise self.refuse(recorded, f"a tie rule of {part} (the order is not recorded)")
        return {"rules": rules} | ({"seed": seed} if seed is not None else {})

    def _seat(self, new: NewMandate, council_id: int, constituency_id: int | None) -> None:
        self.mandates[new.mandate_id] = _Mandate(
            council_id, new.member_id, new.faction_id, constituency_id
        )
        self.active.add(new.mandate_id)

    def _cast(
        self,
        recorded: Recorded,
        method: ElectionMethod,
        result: dict[str, Any],
        mandates: Sequence[NewMandate],
        eligible: Callable[[int], list[int]],
    ) -> Document:
        """What was cast, as the format writes it: lists, candidates' votes, or ballots.
        `eligible` gives who may stand for a faction, in the order the replay fills a list
        from: a list needs to name its elected only where they are not the first of them."""
        arguments: Document = {}
        if method is not ElectionMethod.DHONDT:
            arguments["method"] = method.value
        if method in RANKED_METHODS:
            ids = result["candidate_ids"]
            arguments["standing"] = [self.member(ids[label]) for label in result["candidates"]]
            arguments["ballots"] = [
                {"ranking": [self.member(mid) for mid in ranking]}
                | ({"count": n} if n != 1 else {})
                for n, ranking in result["ballots"]
            ]
            if result.get("seed") is not None:
                arguments["ties"] = {"seed": result["seed"]}
            return arguments
        if method in LIST_METHODS:
            seats = iter(mandates)
            won = {
                row["faction_id"]: [next(seats).member_id for _ in range(row["seats"])]
                for row in result["lists"]
            }
            named = _named(won, cache(eligible))
            arguments["lists"] = {
                self.factions[row["faction_id"]]: {
                    "votes": row["votes"],
                    "candidates": [self.member(mid) for mid in won[row["faction_id"]]],
                }
                if row["faction_id"] in named
                else row["votes"]
                for row in result["lists"]
            }
        else:
            ids, tallies = result["candidate_ids"], result["rounds"][0]["tallies"]
            arguments["candidates"] = {
                self.member(ids[label]): tallies[label] for label in result["candidates"]
            }
        _, _, ties = str(result.get("rule", "")).rpartition("; ties ")
        spec = self._ties(recorded, "ties " + ties)
        if spec:
            arguments["ties"] = spec
        return arguments

    def _delegates(self, recorded: Recorded, e: DelegatesElected, emit: Emit) -> None:
        arguments: Document = {"constituency": self.constituency(e.constituency_id)}
        eligible = partial(self._eligible_in, e.constituency_id)
        arguments |= self._cast(recorded, e.method, e.result, e.mandates, eligible)
        self._end(e.ended_mandate_ids + e.unseated_mandate_ids)
        for new in e.mandates:
            self._seat(new, e.council_id, e.constituency_id)
        place = self.constituencies[e.constituency_id][1]
        if e.election_kind is ElectionKind.BY_ELECTION:
            arguments["by_election"] = True
            emit("elect", arguments, f"by-election at {place}")
        else:
            emit("elect", arguments, f"delegates elected at {place}")

    def _committee(self, recorded: Recorded, e: CommitteeElected) -> Document:
        arguments: Document = {"committee": self.councils[e.committee_id], "seats": e.seats}
        eligible = partial(self._seated, e.council_id)
        arguments |= self._cast(recorded, e.method, e.result, e.mandates, eligible)
        self._end(e.ended_mandate_ids)
        for new in e.mandates:
            self._seat(new, e.committee_id, None)
        return arguments

    def _seated(self, council_id: int, faction_id: int) -> list[int]:
        """A council's delegates of a faction (by their seat), in the order of their seats."""
        return [
            m.member_id
            for mid, m in sorted(
                self.mandates.items(), key=lambda pair: (pair[0], pair[1].member_id)
            )
            if mid in self.active and m.council_id == council_id and m.faction_id == faction_id
        ]

    def _eligible_in(self, constituency_id: int, faction_id: int) -> list[int]:
        """Who may stand for a faction in a constituency, in the replay's order: a lower
        council's sitting delegates of the faction, then the members under it; a
        workplace's members of the faction."""
        lower = self.lower.get(constituency_id)
        if lower is None:
            base = self.enrolled_in.get(constituency_id, set())
            first = []
        else:
            base, stack, seen = set(), [lower], set()
            while stack:  # the members' constituencies under the council, at any depth
                council = stack.pop()
                if council in seen:
                    continue
                seen.add(council)
                for place, (council_id, _) in self.constituencies.items():
                    if council_id != council:
                        continue
                    if place in self.lower:
                        stack.append(self.lower[place])
                    else:
                        base |= self.enrolled_in.get(place, set())
            first = self._seated(lower, faction_id)
        rest = sorted(mid for mid in base if self.member_faction[mid] == faction_id)
        return list(dict.fromkeys(first + rest))

    def _credentials(self, index: int, emit: Emit) -> int:
        """Delegates presenting their credentials at one moment are one `credentials`
        action: of every delegate holding a mandate of the congress from a lower council, in
        the order of their seats, or of the delegates named; a refusal by a body is
        `refuse_credentials`."""
        first = self.events[index]
        assert isinstance(first.event, CredentialsChecked)
        congress = self.convocations[first.event.convocation_id]
        name = self.councils[congress]
        if first.event.checked_by_id is not None:
            e = first.event
            body = self.councils[e.checked_by_id or 0]
            if not e.detail.startswith(f"refused by {body}: "):
                raise self.refuse(first, f"credentials refused without a reason ({e.detail!r})")
            emit(
                "refuse_credentials",
                {
                    "congress": name,
                    "member": self.member(e.member_id),
                    "council": self.councils[e.council_id],
                    "reason": e.detail.removeprefix(f"refused by {body}: "),
                    "by": body,
                },
                f"{body} refuses the credentials of {self.members[e.member_id][0]}",
            )
            return 1
        presented: list[tuple[int, int]] = []
        for later in range(index, len(self.events)):
            recorded = self.events[later]
            checked = recorded.event
            if not (
                isinstance(checked, CredentialsChecked)
                and checked.convocation_id == first.event.convocation_id
                and checked.checked_by_id is None
                and recorded.at == first.at
                and checked.member_id not in {mid for mid, _ in presented}
            ):
                break
            presented.append((checked.member_id, checked.council_id))
        holding = [
            (m.member_id, self.lower[m.constituency_id])
            for mid, m in sorted(
                self.mandates.items(), key=lambda pair: (pair[0], pair[1].member_id)
            )
            if mid in self.active and m.council_id == congress and m.constituency_id in self.lower
        ]
        arguments: Document = {"congress": name}
        if presented != holding:
            arguments["delegates"] = [
                {"member": self.member(mid), "council": self.councils[cid]}
                for mid, cid in presented
            ]
        emit("credentials", arguments, f"credentials presented at {name}")
        return len(presented)

    def _end(self, mandate_ids: Iterable[int]) -> None:
        self.active.difference_update(mandate_ids)

    # -- sittings ---------------------------------------------------------------------------

    def _sitting(self, index: int, emit: Emit) -> int:
        """A sitting is one action: its events become its steps. They must follow one
        another: a change of anything else while it sits cannot be told in between."""
        convened = self.events[index]
        e = convened.event
        assert isinstance(e, SittingConvened)
        own = [index]
        votes: set[int] = set()
        motions: set[int] = set()
        for j in range(index + 1, len(self.events)):
            if self._of_sitting(j, e.sitting_id, votes, motions):
                own.append(j)
                if isinstance(self.events[j].event, SittingClosed):
                    break
        owned = set(own)
        for j in range(index, own[-1] + 1):
            if j not in owned:
                raise self.refuse(
                    self.events[j],
                    f"a change recorded while the sitting {e.title!r} (event #{convened.seq}) "
                    "was under way: a sitting is told as one action",
                )
        state = _SittingState(convened, chair=e.chair_member_id)
        steps: list[Document] = []
        cursor = convened.at
        k = 1
        while k < len(own):
            recorded = self.events[own[k]]
            step, used = self._step(state, [self.events[j] for j in own[k:]])
            if recorded.at != cursor:
                step = {"time": self._step_time(recorded.at, cursor)} | step
                cursor = recorded.at
            steps.append(step)
            k += used
        self.until = cursor
        arguments: Document = {"council": self.councils[e.council_id], "title": e.title}
        if e.section_ids:
            arguments["sections"] = [self.sections[sid] for sid in e.section_ids]
        if e.chair_member_id is not None:
            arguments["chair"] = self.member(e.chair_member_id)
        if e.day != convened.at.astimezone(self.tz).date():
            arguments["day"] = e.day
        arguments["steps"] = steps
        emit("sitting", arguments, e.title)
        return len(own)

    def _of_sitting(self, j: int, sitting_id: int, votes: set[int], motions: set[int]) -> bool:
        e = self.events[j].event
        match e:
            case RollCallVoteCast() | SecretBallotCast() | VoteClosed():
                return e.vote_id in votes
            case FactionLineAdopted():
                return e.motion_id in motions
            case CommitteeElected():
                after = self.events[j + 1].event if j + 1 < len(self.events) else None
                return (
                    isinstance(after, SittingElectionHeld)
                    and after.sitting_id == sitting_id
                    and after.election_id == e.election_id
                )
            case VoteOpened() if e.sitting_id == sitting_id:
                votes.add(e.vote_id)
                return True
            case MotionTabled() if e.sitting_id == sitting_id:
                motions.add(e.motion_id)
                return True
        return type(e) in SITTING_EVENTS and getattr(e, "sitting_id", None) == sitting_id

    def _step(self, state: _SittingState, rest: list[Recorded]) -> tuple[Document, int]:
        """The step the first of `rest` (the sitting's events to come) is, and how many of
        them it takes."""
        recorded = rest[0]
        after = rest[1] if len(rest) > 1 else None
        match recorded.event:
            case SittingOpened() as e:
                if e.chair_member_id not in (None, state.chair):
                    raise self.refuse(recorded, "a chair named when the sitting opened")
                return {"open": True}, 1
            case DelegatesCheckedIn() as e:
                counts = self._check_in(state, e)
                for arrival in e.arrivals:
                    state.stays[arrival.attendance_id] = (arrival.member_id, arrival.mandate_id)
                    state.here.add(arrival.member_id)
                if counts is not None:
                    return {"check_in": counts}, 1
                return {"members_in": [self.member(a.member_id) for a in e.arrivals]}, 1
            case DelegatesLeft() as e:
                leaving = [state.stays[a][0] for a in e.attendance_ids]
                state.here.difference_update(leaving)
                return {"members_out": [self.member(mid) for mid in leaving]}, 1
            case WalkedOut() as e:
                covered = {
                    state.stays[a][0]
                    for a in e.attendance_ids
                    if self.mandates[state.stays[a][1]].faction_id in e.faction_ids
                }
                walkout: Document = {"statement": e.statement}
                if e.faction_ids:
                    walkout["factions"] = [self.factions[fid] for fid in e.faction_ids]
                state.here.difference_update(e.member_ids)
                named = [self.member(mid) for mid in e.member_ids if mid not in covered]
                if named:
                    walkout["members"] = named
                return {"walk_out": walkout}, 1
            case AgendaItemAdded() as e:
                state.items[e.item_id] = _Item(e.position, e.item_kind)
                taken = (
                    after is not None
                    and isinstance(after.event, AgendaItemTakenUp)
                    and after.event.item_id == e.item_id
                    and after.at == recorded.at
                )
                if taken:
                    state.current_item = e.item_id
                if taken and e.item_kind is ItemKind.OTHER:
                    return {"item": e.title}, 2
                item: Document = {"title": e.title}
                if e.item_kind is not ItemKind.OTHER:
                    item["kind"] = e.item_kind.value
                if not taken:
                    item["take_up"] = False
                return {"item": item}, 2 if taken else 1
            case AgendaItemTakenUp() as e:
                state.current_item = e.item_id
                return {"take_up": state.items[e.item_id].position}, 1
            case SpeakerListed() as e:
                return {"speaker": self.member(e.member_id)}, 1
            case FloorGiven():
                return {"floor": True}, 1
            case MotionTabled() as e:
                return {"motion": self._motion(state, recorded, e)}, 1
            case FactionLineAdopted() as e:
                line: Document = {"faction": self.factions[e.faction_id], "line": e.line.value}
                if e.motion_id != state.motion_id:
                    line["motion"] = self._motion_ref(state, recorded, e.motion_id)
                return {"line": line}, 1
            case VoteOpened() as e:
                return self._vote(state, rest, e)
            case CommitteeElected() as e:
                assert after is not None
                assert isinstance(after.event, SittingElectionHeld)
                self._sitting_election(state, after, after.event)
                return {"elect": self._committee(recorded, e)}, 2
            case SittingClosed():
                return {"close": True}, 1
            case VoteClosed():
                raise self.refuse(recorded, "a vote left open when its sitting closed")
        raise self.refuse(recorded, "this step of a sitting")

    def _check_in(self, state: _SittingState, e: DelegatesCheckedIn) -> str | dict[str, int] | None:
        """Arrivals as the replay counts them, if it can: `all` the absent delegates of the
        sitting's sections, or so many of each faction's, the first absent in seat order."""
        convened = state.convened.event
        assert isinstance(convened, SittingConvened)
        absent = [
            m
            for mid, m in sorted(
                self.mandates.items(), key=lambda pair: (pair[0], pair[1].member_id)
            )
            if mid in self.active
            and m.council_id == convened.council_id
            and m.member_id not in state.here
            and (
                not convened.section_ids
                or self.constituency_sections.get(m.constituency_id or 0) in convened.section_ids
            )
        ]
        arriving = {a.member_id: self.mandates[a.mandate_id].faction_id for a in e.arrivals}
        if set(arriving) == {m.member_id for m in absent}:
            return "all"
        counts: dict[int, int] = {}
        for faction_id in arriving.values():
            if faction_id is None:
                return None
            counts[faction_id] = counts.get(faction_id, 0) + 1
        for faction_id, count in counts.items():
            first = [m.member_id for m in absent if m.faction_id == faction_id][:count]
            if {mid for mid, fid in arriving.items() if fid == faction_id} != set(first):
                return None
        return {self.factions[fid]: count for fid, count in sorted(counts.items())}

    def _motion(self, state: _SittingState, recorded: Recorded, e: MotionTabled) -> Document:
        motion: Document = {"title": e.title, "text": e.text}
        if e.tabled_by_faction_id is not None:
            motion["by"] = self.factions[e.tabled_by_faction_id]
        elif e.tabled_by_committee_id is not None:
            motion["by"] = self.councils[e.tabled_by_committee_id]
            if motion["by"] in self._faction_words():
                raise self.refuse(recorded, "a motion of a committee named like a faction")
        elif e.tabled_by_member_id is not None:
            motion["by"] = self.member(e.tabled_by_member_id)
            if motion["by"] in self._faction_words() | set(self.councils.values()):
                raise self.refuse(recorded, "a motion of a member named like a faction or body")
        if e.parent_id is not None:
            motion["amends"] = self._motion_ref(state, recorded, e.parent_id)
        elif e.majority is not None:
            motion["majority"] = e.majority.value
        state.motion_id = e.motion_id
        state.titles[e.title] = e.motion_id
        state.motions[e.motion_id] = e.title
        return motion

    def _faction_words(self) -> set[str]:
        return set(self.factions.values()) | set(self.faction_shorts.values())

    def _motion_ref(self, state: _SittingState, recorded: Recorded, motion_id: int) -> str:
        """A motion of the sitting by its title (the last tabled of that title)."""
        title = state.motions[motion_id]
        if state.titles[title] != motion_id:
            raise self.refuse(recorded, f"a reference to an earlier of two motions {title!r}")
        return title

    def _vote(
        self, state: _SittingState, rest: list[Recorded], opened: VoteOpened
    ) -> tuple[Document, int]:
        first = rest[0]
        if opened.mode is VoteMode.SECRET:
            raise self.refuse(
                first,
                "a secret vote (the ledger holds who voted and the totals, never a choice "
                "beside a name)",
            )
        target = {}
        if opened.motion_id != state.motion_id:
            target = {"motion": self._motion_ref(state, first, opened.motion_id)}
        choices: dict[str, list[str]] = {"votes_for": [], "votes_against": [], "abstentions": []}
        key = {"for": "votes_for", "against": "votes_against", "abstain": "abstentions"}
        for used, recorded in enumerate(rest[1:], start=2):
            e = recorded.event
            if isinstance(e, RollCallVoteCast) and e.vote_id == opened.vote_id:
                choices[key[e.choice.value]].append(self.member(e.member_id))
                continue
            if not (isinstance(e, VoteClosed) and e.vote_id == opened.vote_id):
                raise self.refuse(recorded, "a change in a sitting while a vote was open")
            if e.outcome is Outcome.VOID:
                raise self.refuse(recorded, f"a void vote ({e.reason})")
            if opened.mode is VoteMode.SHOW_OF_HANDS:
                totals: Document = {"votes_for": e.yes, "votes_against": e.no}
                if e.abstain:
                    totals["abstentions"] = e.abstain
                return {"vote": totals | target}, used
            roll = {k: names for k, names in choices.items() if names}
            return {"roll_call": roll | target}, used
        raise self.refuse(first, "a vote that was never closed")

    def _sitting_election(
        self, state: _SittingState, recorded: Recorded, held: SittingElectionHeld
    ) -> None:
        """The replay holds the election under the election item before the sitting, if it
        has not held one, else under a new item: it must be so in the ledger too."""
        current = state.items.get(state.current_item or 0)
        if held.new_item_position is not None:
            state.items[held.item_id] = _Item(held.new_item_position, ItemKind.ELECTION, True)
            state.current_item = held.item_id
            return
        if (
            current is None
            or held.item_id != state.current_item
            or current.kind is not ItemKind.ELECTION
            or current.elected
        ):
            raise self.refuse(recorded, "an election held under an item not before the sitting")
        current.elected = True


Emit = Callable[[str, Document, str], None]
_SMALL_WORDS = frozenset({"a", "an", "the", "of", "in", "on", "and", "to", "for", "by"})
SITTING_EVENTS = frozenset(
    {
        SittingConvened,
        SittingOpened,
        SittingClosed,
        DelegatesCheckedIn,
        DelegatesLeft,
        WalkedOut,
        AgendaItemAdded,
        AgendaItemTakenUp,
        SpeakerListed,
        FloorGiven,
        MotionTabled,
        VoteOpened,
        SittingElectionHeld,
    }
)


def _named(won: dict[int, list[int]], eligible: Callable[[int], list[int]]) -> set[int]:
    """The lists (factions) that must name their elected: those whose elected are not the
    first eligible members of the faction, once the members named on other lists (who stand
    only there) are set aside."""
    named: set[int] = set()
    while True:
        taken = {mid for fid in named for mid in won[fid]}
        more = {
            fid
            for fid, elected in won.items()
            if elected
            and fid not in named
            and [m for m in eligible(fid) if m not in taken][: len(elected)] != elected
        }
        if not more:
            return named
        named |= more


def _clock(local: dt.datetime) -> str:
    if local.second == 0 and local.microsecond == 0:
        return local.strftime("%H:%M")
    return local.time().isoformat()


_MANY = {  # what several actions of a kind in one event are, in a title
    "faction": "{n} factions formed",
    "council": "{n} councils and committees set up",
    "section": "{n} sections set up",
    "standing_rules": "standing rules of {n} bodies",
    "powers": "powers of {n} bodies",
    "constituency": "{n} constituencies set up",
    "electors": "electors reported in {n} constituencies",
    "enroll": "{n} members enrolled",
    "apportion": "seats of {n} councils apportioned",
    "elect": "{n} elections of delegates",
    "elect_committee": "{n} committees elected",
    "recall": "{n} recall votes",
    "resign": "{n} resignations",
    "credentials": "credentials checked",
    "sitting": "{n} sittings",
    "unit": "{n} units set up",
    "authority": "{n} outside authorities recorded",
    "countersignature": "countersignature given to {n} bodies",
    "order": "{n} orders issued",
    "countersign": "{n} orders countersigned",
    "refuse": "{n} orders refused",
    "sanction": "{n} factions sanctioned",
}


def _title(actions: Sequence[Document], phrases: Sequence[str]) -> str:
    """An event's title from what happened in it: each kind of action in the order it
    first happened, by its own words, or counted when there were several."""
    kinds: dict[str, list[str]] = {}
    counts: dict[str, int] = {}
    for action, phrase in zip(actions, phrases, strict=True):
        ((name, arguments),) = action.items()
        kinds.setdefault(name, []).append(phrase)
        counts[name] = counts.get(name, 0) + (
            len(arguments.get("members", [])) + sum(arguments.get("factions", {}).values())
            if name == "enroll"
            else 1
        )
    parts = [
        said[0] if len(set(said)) == 1 else _MANY.get(name, "{n} changes").format(n=counts[name])
        for name, said in kinds.items()
    ] or ["nothing recorded"]
    text = "; ".join(parts[:3]) + ("; and more" if len(parts) > 3 else "")
    return (text[0].upper() + text[1:])[:300]


def _seat_rule(words: str) -> SeatRule | None:
    """The seat rule whose words (SeatRule.describe) these are, if any."""
    found: list[SeatRule] = []
    if m := re.fullmatch(
        r"one delegate per (\d+) members, at least (\d+)(?:, at most (\d+))?", words
    ):
        found.append(RatioRule(int(m[1]), int(m[2]), int(m[3]) if m[3] else None))
    if m := re.fullmatch(r"(\d+) seats? per constituency", words):
        found.append(FixedRule(int(m[1])))
    if m := re.fullmatch(r"(\d+) seats by (.+?)(?:, at least (\d+) each)?", words):
        minimum = int(m[3]) if m[3] else 0
        found.extend(DivisorRule(method, int(m[1]), minimum) for method in DivisorMethod)
        found.extend(QuotaRule(quota, int(m[1])) for quota in Quota)
    if m := re.fullmatch(
        r"(\d+) delegates? for ([\d,]+) electors, one more per further ([\d,]+)"
        r"(?:, at most (\d+))?; under [\d,]+ electors, constituencies combine",
        words,
    ):
        threshold, first, per = (int(x.replace(",", "")) for x in (m[2], m[1], m[3]))
        found.append(StepRule(threshold, first, per, int(m[4]) if m[4] else None))
    return next((rule for rule in found if rule.describe() == words), None)


# -- writing YAML ------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Block style for the file's structure (events, actions, steps), flow style for short
    leaves (`lists: {Reds: 1000, Blues: 2000}`), literal style for texts of several lines."""


_WRAPPERS = frozenset(f.ACTIONS) | frozenset(f.Step.model_fields) - {"time"}


def _depth(value: object) -> int:
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    return 0


def _flow(value: dict[str, Any] | list[Any]) -> bool:
    """Flow style for a list of names (however long: it wraps) and for a short mapping of
    them; block style for an action or a step, and for anything deeper."""
    if isinstance(value, dict) and len(set(value) - {"time"}) == 1 and set(value) & _WRAPPERS:
        return False
    if _depth(value) > 2 or "\n" in repr(value):
        return False
    if isinstance(value, list) and _depth(value) == 1:
        return True
    rows = isinstance(value, dict) and set(value) <= {
        "ranking",
        "count",
        "name",
        "faction",
        "member",
    }
    return rows or _width(value) <= 88


def _width(value: object) -> int:
    """About how wide a value is in flow style."""
    if isinstance(value, dict):
        return 2 + sum(len(str(k)) + 4 + _width(v) for k, v in value.items())
    if isinstance(value, list):
        return 2 + sum(2 + _width(v) for v in value)
    return len(str(value)) + 2


def _dict(dumper: yaml.SafeDumper, value: dict[str, Any]) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", value, flow_style=_flow(value))


def _list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=_flow(value))


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(dict, _dict)
_Dumper.add_representer(list, _list)
_Dumper.add_representer(str, _str)


def scenario_yaml(document: Document) -> str:
    """A scenario document as the text of its file."""
    text = yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return f"# Exported by smolny export: scenario format {f.FORMAT} (docs/scenarios.md).\n{text}"
