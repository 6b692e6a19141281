"""Replaying a scenario: each action of each dated event becomes the service call a live
organization would make, at the event's moment, all in one transaction.

Nothing here knows any history: the file says what happened, the services decide what it
means (seats, results, validity), and the ledger records it. A refused action stops the
replay with the place it failed (event, action, step) and the service's reason; since the
whole replay is one transaction, a refused replay changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from smolny.domain.apportionment import TieRule
from smolny.domain.chronicle import Source
from smolny.domain.elections import CandidateTally, ElectionMethod, ListTally, RankedBallot
from smolny.domain.errors import DomainError, InvalidInput, NotFound
from smolny.domain.federation import (
    ConstituencyKind,
    Council,
    CouncilKind,
    Majority,
    Power,
    RecallBasis,
)
from smolny.domain.mandates import Mandate
from smolny.domain.orders import AuthorityKind, SanctionKind, UnitKind
from smolny.domain.seat_rules import TieBreak, parse_seat_rule
from smolny.domain.sittings import Choice, ItemKind, VoteMode
from smolny.scenario import format as f
from smolny.services import chronicle, congress, elections, federation, orders, sittings
from smolny.services.lookup import find_faction, find_member
from smolny.store.congress import convocation_at, member_ids_under
from smolny.store.uow import UnitOfWork

Progress = Callable[[int, f.ScenarioEvent], None]


class ScenarioError(InvalidInput):
    """A scenario the engine refused, with where: event, action and step."""


@dataclass(frozen=True)
class Replayed:
    """What a replay recorded: the organizations it made and the chronicle's entries."""

    scenario: f.Scenario
    organization_ids: tuple[int, ...]
    chronicle_organization_id: int
    entries: tuple[tuple[dt.datetime, str, int], ...]  # moment, title, events recorded
    events: int  # ledger events recorded in all


@dataclass
class _Sitting:
    id: int
    council: Council
    section_ids: tuple[int, ...]
    here: dict[int, int] = field(default_factory=dict)  # member id -> faction id of the seat
    motion_id: int | None = None
    motions: dict[str, int] = field(default_factory=dict)  # motion ids by title


class _Replay:
    def __init__(self, uow: UnitOfWork, scenario: f.Scenario, actor: str) -> None:
        self.uow = uow
        self.scenario = scenario
        self.actor = actor
        self.offset = dt.datetime.fromisoformat(f"2000-01-01T00:00{scenario.utc_offset}").tzinfo
        self.organizations: dict[str, int] = {}
        self.councils: dict[str, Council] = {}
        self.units: dict[str, int] = {}
        self.authorities: dict[str, int] = {}
        self.orders: dict[str, int] = {}
        self.factions: dict[tuple[str, int], int] = {}
        self.numbered: dict[tuple[str, str, str], int] = {}
        self.at = dt.datetime.min.replace(tzinfo=dt.UTC)

    # -- references ---------------------------------------------------------------------------

    def organization(self, name: str) -> int:
        if name not in self.organizations:
            known = ", ".join(self.organizations) or "none yet"
            raise NotFound(f"no organization {name!r} in this scenario (organizations: {known})")
        return self.organizations[name]

    def council(self, name: str) -> Council:
        if name not in self.councils:
            raise NotFound(
                f"no council {name!r} in this scenario (councils: "
                f"{', '.join(self.councils) or 'none yet'})"
            )
        return self.uow.repo.get(Council, self.councils[name].id)

    def faction(self, name: str, organization_id: int) -> int:
        key = (name, organization_id)
        if key not in self.factions:  # factions are never renamed: found once, known
            self.factions[key] = find_faction(self.uow, name, organization_id).id
        return self.factions[key]

    def member(self, name: str, organization_id: int) -> int:
        return find_member(self.uow, organization_id, name).id

    def constituency(self, ref: str) -> Any:
        council_name, slash, name = ref.rpartition("/")
        if not slash:
            raise InvalidInput(f"name a constituency as COUNCIL/CONSTITUENCY, not {ref!r}")
        council = self.council(council_name)
        found = self.uow.repo.constituency_named(council.id, name)
        if found is None:
            names = ", ".join(c.name for c in self.uow.repo.constituencies(council.id))
            raise NotFound(f"{council.name} has no constituency {name!r} ({names or 'none'})")
        return found

    def moment(self, at: dt.date | dt.datetime, time: str | None = None) -> dt.datetime:
        if isinstance(at, dt.datetime):
            moment = at if at.tzinfo else at.replace(tzinfo=self.offset)
        else:
            moment = dt.datetime.combine(at, dt.time(12, 0), self.offset)
        if time is not None and "T" in time:  # a date and a time: a sitting past midnight
            try:
                return dt.datetime.fromisoformat(time).replace(tzinfo=self.offset)
            except ValueError as error:
                raise InvalidInput(f"{time!r} is not a time like 2026-04-03T01:30") from error
        if time is not None:
            try:
                clock = dt.time.fromisoformat(time)
            except ValueError as error:
                raise InvalidInput(f"{time!r} is not a time of day like 18:30") from error
            moment = dt.datetime.combine(moment.date(), clock, self.offset)
        return moment

    # -- events -------------------------------------------------------------------------------

    def event(self, event: f.ScenarioEvent, where: str) -> int:
        """Replay one event; the number of ledger events it recorded."""
        self.at = self.moment(event.at)
        before = self._count()
        actions = list(enumerate(event.do, start=1))
        # An organization must exist before its chronicle can tell of it.
        for number, action in actions:
            if action.name == "organization":
                self._run(action, f"{where}, action {number} (organization)")
        if self.scenario.chronicle not in self.organizations:
            raise ScenarioError(
                f"{where}: the chronicle's organization {self.scenario.chronicle!r} does not "
                "exist yet (create it in the first event)"
            )
        self._chronicle(event)
        for number, action in actions:
            if action.name != "organization":
                self._run(action, f"{where}, action {number} ({action.name})")
        return self._count() - before

    def _count(self) -> int:
        return self.uow.ledger.head()[0]

    def _chronicle(self, event: f.ScenarioEvent) -> None:
        sources = [self.scenario.sources[key] for key in event.sources]
        chronicle.enter_chronicle(
            self.uow,
            organization_id=self.organization(self.scenario.chronicle),
            title=event.title,
            text=event.text,
            sources=[Source(s.label, s.url) for s in sources],
            assumptions=event.assumptions,
            actor=self.actor,
            at=self.at,
        )

    def _run(self, action: f.Action, where: str) -> None:
        try:
            getattr(self, f"do_{action.name}")(action.arguments)
        except ScenarioError as error:  # a sitting's step: add the event and action
            raise ScenarioError(f"{where}, {error.message}") from error
        except DomainError as error:
            raise ScenarioError(f"{where}: {error.message}") from error

    # -- setting up ---------------------------------------------------------------------------

    def do_organization(self, a: f.OrganizationAction) -> None:
        org = federation.create_organization(self.uow, name=a.name, actor=self.actor, at=self.at)
        self.organizations[a.name] = org.id

    def do_faction(self, a: f.FactionAction) -> None:
        federation.create_faction(
            self.uow,
            organization_id=self.organization(a.organization),
            name=a.name,
            short_name=a.short,
            color=a.color,
            actor=self.actor,
            at=self.at,
        )

    def do_council(self, a: f.CouncilAction) -> None:
        if a.name in self.councils:
            raise InvalidInput(f"the scenario already has a council {a.name!r}")
        council = federation.create_council(
            self.uow,
            organization_id=self.organization(a.organization),
            name=a.name,
            kind=CouncilKind(a.kind),
            parent_id=None if a.parent is None else self.council(a.parent).id,
            powers=[Power(p) for p in a.powers],
            actor=self.actor,
            at=self.at,
        )
        self.councils[a.name] = council

    def do_section(self, a: f.SectionAction) -> None:
        federation.create_section(
            self.uow,
            council_id=self.council(a.council).id,
            name=a.name,
            actor=self.actor,
            at=self.at,
        )

    def do_standing_rules(self, a: f.StandingRulesAction) -> None:
        council = self.council(a.council)
        federation.set_standing_rules(
            self.uow,
            council_id=council.id,
            quorum=council.quorum if a.quorum is None else _fraction(a.quorum),
            majority=council.majority if a.majority is None else Majority(a.majority),
            actor=self.actor,
            at=self.at,
        )

    def do_powers(self, a: f.PowersAction) -> None:
        federation.grant_powers(
            self.uow,
            council_id=self.council(a.council).id,
            granted=[Power(p) for p in a.grant],
            revoked=[Power(p) for p in a.revoke],
            decision=a.decision,
            actor=self.actor,
            at=self.at,
        )

    def do_constituency(self, a: f.ConstituencyAction) -> None:
        council = self.council(a.council)
        section_id = None
        if a.section is not None:
            sections = {s.name: s.id for s in self.uow.repo.sections(council.id)}
            if a.section not in sections:
                raise NotFound(f"{council.name} has no section {a.section!r}")
            section_id = sections[a.section]
        created = federation.create_constituency(
            self.uow,
            council_id=council.id,
            name=a.name,
            kind=ConstituencyKind(a.kind),
            section_id=section_id,
            lower_council_id=None if a.lower_council is None else self.council(a.lower_council).id,
            recall_basis=RecallBasis(a.recall_basis or "members"),
            recall_share=_fraction(a.recall_share or "1/2"),
            actor=self.actor,
            at=self.at,
        )
        if a.electors is not None:
            federation.report_electors(
                self.uow,
                constituency_id=created.id,
                electors=a.electors,
                actor=self.actor,
                at=self.at,
            )

    def do_electors(self, a: f.ElectorsAction) -> None:
        federation.report_electors(
            self.uow,
            constituency_id=self.constituency(a.constituency).id,
            electors=a.electors,
            actor=self.actor,
            at=self.at,
        )

    def do_enroll(self, a: f.EnrollAction) -> None:
        organization_id = self.organization(a.organization)
        constituency = None if a.constituency is None else self.constituency(a.constituency)
        rows = [
            federation.NewMember(
                m.name,
                None if m.faction is None else self.faction(m.faction, organization_id),
                m.number,
            )
            for m in a.members
        ]
        place = "" if constituency is None else constituency.name
        for faction_name, count in a.factions.items():
            faction_id = self.faction(faction_name, organization_id)
            key = (a.organization, place, faction_name)
            start = self.numbered.get(key, 0)
            for n in range(start + 1, start + count + 1):
                name = a.pattern.format(constituency=place, faction=faction_name, n=n)
                rows.append(federation.NewMember(" ".join(name.split()), faction_id))
            self.numbered[key] = start + count
        federation.enroll_members(
            self.uow,
            organization_id=organization_id,
            members=rows,
            constituency_id=None if constituency is None else constituency.id,
            actor=self.actor,
            at=self.at,
        )

    # -- elections ----------------------------------------------------------------------------

    def do_apportion(self, a: f.ApportionAction) -> None:
        council = self.council(a.council)
        rule = parse_seat_rule(a.rule)
        if council.kind is CouncilKind.CONGRESS:
            reported = {self.constituency(f"{a.council}/{k}").id: n for k, n in a.reported.items()}
            congress.apportion_congress(
                self.uow,
                congress_id=council.id,
                rule=rule,
                reported=reported,
                ties=_ties(a.ties),
                actor=self.actor,
                at=self.at,
            )
        else:
            if a.reported:
                raise InvalidInput("reported electors are given on constituencies of a council")
            elections.apportion_seats(
                self.uow,
                council_id=council.id,
                rule=rule,
                ties=_ties(a.ties),
                actor=self.actor,
                at=self.at,
            )

    def _lists(
        self,
        spec: f.ListsSpec,
        organization_id: int,
        eligible: Callable[[int], list[int]],
    ) -> list[ListTally]:
        """List tallies: named candidates first, then the faction's other eligible members."""
        entries = {
            name: entry if isinstance(entry, f.ListEntry) else f.ListEntry(votes=entry)
            for name, entry in spec.items()
        }
        factions = {name: self.faction(name, organization_id) for name in entries}
        named = {
            name: [self.member(m, organization_id) for m in entry.candidates]
            for name, entry in entries.items()
        }
        taken = {mid for ids in named.values() for mid in ids}
        tallies = []
        for name, entry in entries.items():
            rest = [mid for mid in eligible(factions[name]) if mid not in taken]
            tallies.append(ListTally(factions[name], tuple(named[name] + rest), entry.votes))
        return tallies

    def do_elect(self, a: f.ElectAction) -> None:
        constituency = self.constituency(a.constituency)
        council = self.uow.repo.get(Council, constituency.council_id)
        organization_id = council.organization_id
        method = ElectionMethod(a.method)
        if a.standing or a.ballots:
            standing, ballots = self._ballots(a.standing, a.ballots, organization_id)
            if a.by_election:
                elections.hold_by_election(
                    self.uow,
                    constituency_id=constituency.id,
                    method=method,
                    standing=standing,
                    ballots=ballots,
                    ties=_ties(a.ties),
                    actor=self.actor,
                    at=self.at,
                )
            else:
                elections.elect_delegates(
                    self.uow,
                    constituency_id=constituency.id,
                    method=method,
                    standing=standing,
                    ballots=ballots,
                    ties=_ties(a.ties),
                    actor=self.actor,
                    at=self.at,
                )
            return
        if a.candidates:
            tallies = [
                CandidateTally(self.member(name, organization_id), votes)
                for name, votes in a.candidates.items()
            ]
            if a.by_election:
                elections.hold_by_election(
                    self.uow,
                    constituency_id=constituency.id,
                    candidates=tallies,
                    method=method,
                    ties=_ties(a.ties),
                    actor=self.actor,
                    at=self.at,
                )
            else:
                elections.elect_delegates(
                    self.uow,
                    constituency_id=constituency.id,
                    method=method,
                    candidates=tallies,
                    ties=_ties(a.ties),
                    actor=self.actor,
                    at=self.at,
                )
            return
        if a.by_election:
            raise InvalidInput(
                "a by-election is counted from candidates' votes (plurality) or ranked ballots"
            )
        lists = self._lists(a.lists, organization_id, self._eligible_in(constituency))
        elections.elect_delegates(
            self.uow,
            constituency_id=constituency.id,
            method=method,
            lists=lists,
            ties=_ties(a.ties),
            actor=self.actor,
            at=self.at,
        )

    def _ballots(
        self, standing: list[str], ballots: list[f.BallotRow], organization_id: int
    ) -> tuple[list[int], list[RankedBallot]]:
        """The standing candidates' ids and the ranked ballots over them."""
        names = dict.fromkeys([*standing, *(n for b in ballots for n in b.ranking)])
        ids = {name: self.member(name, organization_id) for name in names}
        return [ids[n] for n in standing], [
            RankedBallot(tuple(ids[n] for n in b.ranking), b.count) for b in ballots
        ]

    def _eligible_in(self, constituency: Any) -> Callable[[int], list[int]]:
        """Who may stand for a faction in the constituency, in the order they take seats: for
        a lower council, its sitting delegates of the faction first, then its base's members
        of the faction; for a workplace or unit, its members of the faction."""
        repo = self.uow.repo
        if constituency.kind is ConstituencyKind.COUNCIL:
            lower = constituency.lower_council_id
            base = member_ids_under(repo, lower)
            sitting = list(repo.mandates_at(self.at, council_id=lower))
        else:
            base = repo.member_ids_in([constituency.id])
            sitting = []
        members = repo.members_by_id(base)

        def eligible(faction_id: int) -> list[int]:
            first = [m.member_id for m in sorted(sitting, key=_order) if m.faction_id == faction_id]
            rest = sorted(mid for mid, m in members.items() if m.faction_id == faction_id)
            return list(dict.fromkeys(first + rest))

        return eligible

    def _delegates_of(self, council: Council) -> Callable[[int], list[int]]:
        """A council's seated delegates of a faction (by their seat's faction), in seat order."""
        seated = sorted(self.uow.repo.mandates_at(self.at, council_id=council.id), key=_order)

        def eligible(faction_id: int) -> list[int]:
            return [m.member_id for m in seated if m.faction_id == faction_id]

        return eligible

    def do_elect_committee(self, a: f.CommitteeAction) -> None:
        committee = self.council(a.committee)
        if committee.parent_id is None:
            raise InvalidInput(f"{committee.name} is not a committee or an office")
        parent = self.uow.repo.get(Council, committee.parent_id)
        lists = self._lists(a.lists, committee.organization_id, self._delegates_of(parent))
        standing, ballots = self._ballots(a.standing, a.ballots, committee.organization_id)
        method = ElectionMethod(a.method)
        # A congress in session elects among the delegates seated at credentials; between
        # its convocations, among the delegates holding its mandates.
        if parent.kind is CouncilKind.CONGRESS and convocation_at(
            self.uow.repo, parent.id, self.at
        ):
            congress.elect_central_committee(
                self.uow,
                committee_id=committee.id,
                seats=a.seats,
                lists=lists,
                method=method,
                standing=standing,
                ballots=ballots,
                ties=_ties(a.ties),
                actor=self.actor,
                at=self.at,
            )
        else:
            elections.elect_committee(
                self.uow,
                committee_id=committee.id,
                seats=a.seats,
                lists=lists,
                method=method,
                standing=standing,
                ballots=ballots,
                ties=_ties(a.ties),
                actor=self.actor,
                at=self.at,
            )

    def _mandate(self, council_name: str, member_name: str) -> Mandate:
        council = self.council(council_name)
        member_id = self.member(member_name, council.organization_id)
        return elections.find_mandate(
            self.uow, council_id=council.id, member_id=member_id, at=self.at
        )

    def do_recall(self, a: f.RecallAction) -> None:
        elections.recall_delegate(
            self.uow,
            mandate_id=self._mandate(a.council, a.member).id,
            votes_for=a.votes_for,
            votes_against=a.votes_against,
            abstentions=a.abstentions,
            actor=self.actor,
            at=self.at,
        )

    def do_resign(self, a: f.ResignAction) -> None:
        elections.resign_mandate(
            self.uow,
            mandate_id=self._mandate(a.council, a.member).id,
            actor=self.actor,
            at=self.at,
        )

    # -- congresses ---------------------------------------------------------------------------

    def do_convene(self, a: f.ConveneAction) -> None:
        congress.convene_congress(
            self.uow,
            congress_id=self.council(a.congress).id,
            name=a.name,
            actor=self.actor,
            at=self.at,
        )

    def do_credentials(self, a: f.CredentialsAction) -> None:
        body = self.council(a.congress)
        convocation = congress.convocation_in_session(self.uow, body.id, self.at)
        repo = self.uow.repo
        if a.delegates:
            presented = [
                congress.Presentation(
                    self.member(row.member, body.organization_id), self.council(row.council).id
                )
                for row in a.delegates
            ]
        else:
            sending = {c.id: c.lower_council_id for c in repo.constituencies(body.id)}
            presented = [
                congress.Presentation(m.member_id, lower)
                for m in sorted(repo.mandates_at(self.at, council_id=body.id), key=_order)
                if (lower := sending.get(m.constituency_id or 0)) is not None
            ]
        if presented:  # one check for them all: the delegates present themselves together
            congress.check_credentials(
                self.uow,
                convocation_id=convocation.id,
                presented=presented,
                actor=self.actor,
                at=self.at,
            )

    def do_refuse_credentials(self, a: f.RefuseCredentialsAction) -> None:
        body = self.council(a.congress)
        congress.refuse_credentials(
            self.uow,
            convocation_id=congress.convocation_in_session(self.uow, body.id, self.at).id,
            member_id=self.member(a.member, body.organization_id),
            council_id=self.council(a.council).id,
            reason=a.reason,
            by_council_id=self.council(a.by).id,
            actor=self.actor,
            at=self.at,
        )

    def do_close_congress(self, a: f.CloseCongressAction) -> None:
        congress.close_congress(
            self.uow, congress_id=self.council(a.congress).id, actor=self.actor, at=self.at
        )

    # -- sittings -----------------------------------------------------------------------------

    def do_sitting(self, a: f.SittingAction) -> None:
        council = self.council(a.council)
        sections = {s.name: s.id for s in self.uow.repo.sections(council.id)}
        for name in a.sections:
            if name not in sections:
                raise NotFound(f"{council.name} has no section {name!r}")
        section_ids = tuple(sections[n] for n in a.sections)
        chair = None if a.chair is None else self.member(a.chair, council.organization_id)
        sitting = sittings.convene_sitting(
            self.uow,
            council_id=council.id,
            title=a.title,
            day=a.day or self.at.date(),
            section_ids=section_ids,
            chair_member_id=chair,
            actor=self.actor,
            at=self.at,
        )
        state = _Sitting(sitting.id, council, section_ids)
        for number, step in enumerate(a.steps, start=1):
            if step.time is not None:
                self.at = self.moment(self.at, step.time)
            try:
                getattr(self, f"step_{step.action}")(state, getattr(step, step.action))
            except DomainError as error:
                raise ScenarioError(
                    f"sitting {a.title!r}, step {number} ({step.action}): {error.message}"
                ) from error

    def _seats(self, state: _Sitting) -> list[Mandate]:
        """The seats of the sitting's sections (or council), in seat order."""
        repo = self.uow.repo
        seats = repo.mandates_at(self.at, council_id=state.council.id)
        if state.section_ids:
            in_sections = {
                c.id
                for c in repo.constituencies(state.council.id)
                if c.section_id in state.section_ids
            }
            seats = [m for m in seats if m.constituency_id in in_sections]
        return sorted(seats, key=_order)

    def _some_of(
        self,
        counts: dict[str, int],
        pool: Iterable[tuple[int, int]],
        organization_id: int,
        what: str,
    ) -> list[int]:
        """So many members of each faction from `pool` (member id, faction id), in order."""
        chosen: list[int] = []
        pool = list(pool)
        for name, count in counts.items():
            faction_id = self.faction(name, organization_id)
            theirs = [mid for mid, fid in pool if fid == faction_id]
            if count > len(theirs):
                raise InvalidInput(f"{count} of {name} {what}, but only {len(theirs)} can")
            chosen.extend(theirs[:count])
        return chosen

    def step_check_in(self, state: _Sitting, spec: dict[str, int] | str) -> None:
        org = state.council.organization_id
        if spec == "all":
            arriving = [
                (m.member_id, m.faction_id)
                for m in self._seats(state)
                if m.member_id not in state.here
            ]
            sittings.check_in(
                self.uow, sitting_id=state.id, everyone=True, actor=self.actor, at=self.at
            )
            state.here.update((mid, fid or 0) for mid, fid in arriving)
            return
        assert isinstance(spec, dict)
        pool = [
            (m.member_id, m.faction_id or 0)
            for m in self._seats(state)
            if m.member_id not in state.here
        ]
        chosen = self._some_of(spec, pool, org, "check in")
        sittings.check_in(
            self.uow, sitting_id=state.id, member_ids=chosen, actor=self.actor, at=self.at
        )
        factions = dict(pool)
        state.here.update((mid, factions[mid]) for mid in chosen)

    def step_members_in(self, state: _Sitting, names: list[str]) -> None:
        org = state.council.organization_id
        ids = [self.member(n, org) for n in names]
        sittings.check_in(
            self.uow, sitting_id=state.id, member_ids=ids, actor=self.actor, at=self.at
        )
        seats = {m.member_id: m.faction_id or 0 for m in self._seats(state)}
        state.here.update((mid, seats.get(mid, 0)) for mid in ids)

    def step_open(self, state: _Sitting, _: bool) -> None:
        sittings.open_sitting(self.uow, sitting_id=state.id, actor=self.actor, at=self.at)

    def step_item(self, state: _Sitting, item: str | f.ItemStep) -> None:
        spec = item if isinstance(item, f.ItemStep) else f.ItemStep(title=item)
        added = sittings.add_agenda_item(
            self.uow,
            sitting_id=state.id,
            title=spec.title,
            kind=ItemKind(spec.kind),
            actor=self.actor,
            at=self.at,
        )
        if spec.take_up:
            sittings.take_up_item(
                self.uow, sitting_id=state.id, position=added.position, actor=self.actor, at=self.at
            )

    def step_take_up(self, state: _Sitting, position: int) -> None:
        sittings.take_up_item(
            self.uow, sitting_id=state.id, position=position, actor=self.actor, at=self.at
        )

    def step_members_out(self, state: _Sitting, names: list[str]) -> None:
        ids = [self.member(n, state.council.organization_id) for n in names]
        sittings.leave(self.uow, sitting_id=state.id, member_ids=ids, actor=self.actor, at=self.at)
        for mid in ids:
            state.here.pop(mid, None)

    def step_speaker(self, state: _Sitting, name: str) -> None:
        member_id = self.member(name, state.council.organization_id)
        sittings.ask_to_speak(
            self.uow, sitting_id=state.id, member_id=member_id, actor=self.actor, at=self.at
        )

    def step_floor(self, state: _Sitting, _: bool) -> None:
        sittings.give_floor(self.uow, sitting_id=state.id, actor=self.actor, at=self.at)

    def step_line(self, state: _Sitting, line: f.LineStep) -> None:
        sittings.adopt_line(
            self.uow,
            motion_id=self._current_motion(state, line.motion),
            faction_id=self.faction(line.faction, state.council.organization_id),
            line=Choice(line.line),
            actor=self.actor,
            at=self.at,
        )

    def step_motion(self, state: _Sitting, m: f.MotionStep) -> None:
        org = state.council.organization_id
        by: dict[str, int] = {}
        if m.by is not None:
            by = self._mover(m.by, org)
        if m.amends is not None:
            motion = sittings.amend_motion(
                self.uow,
                motion_id=self._current_motion(state, m.amends),
                text=m.text,
                title=m.title,
                actor=self.actor,
                at=self.at,
                acting=None,  # a scenario records what happened
                **by,
            )
        else:
            motion = sittings.table_motion(
                self.uow,
                sitting_id=state.id,
                title=m.title,
                text=m.text,
                majority=None if m.majority is None else Majority(m.majority),
                actor=self.actor,
                at=self.at,
                acting=None,  # a scenario records what happened
                **by,
            )
        state.motion_id = motion.id
        state.motions[m.title] = motion.id

    def _mover(self, name: str, organization_id: int) -> dict[str, int]:
        try:
            return {"by_faction_id": self.faction(name, organization_id)}
        except NotFound:
            pass
        if name in self.councils:
            return {"by_committee_id": self.councils[name].id}
        return {"by_member_id": self.member(name, organization_id)}

    def _current_motion(self, state: _Sitting, title: str | None = None) -> int:
        if title is not None:
            if title not in state.motions:
                raise NotFound(f"no motion {title!r} has been tabled in this sitting")
            return state.motions[title]
        if state.motion_id is None:
            raise InvalidInput("no motion has been tabled in this sitting")
        return state.motion_id

    def step_vote(self, state: _Sitting, v: f.TotalsStep) -> None:
        sittings.record_totals(
            self.uow,
            motion_id=self._current_motion(state, v.motion),
            yes=v.votes_for,
            no=v.votes_against,
            abstain=v.abstentions,
            actor=self.actor,
            at=self.at,
        )

    def step_roll_call(self, state: _Sitting, r: f.RollCallStep) -> None:
        org = state.council.organization_id
        vote = sittings.open_vote(
            self.uow,
            motion_id=self._current_motion(state, r.motion),
            mode=VoteMode.ROLL_CALL,
            actor=self.actor,
            at=self.at,
        )
        for names, choice in (
            (r.votes_for, Choice.FOR),
            (r.votes_against, Choice.AGAINST),
            (r.abstentions, Choice.ABSTAIN),
        ):
            for name in names:
                sittings.cast_vote(
                    self.uow,
                    vote_id=vote.id,
                    member_id=self.member(name, org),
                    choice=choice,
                    actor=self.actor,
                    at=self.at,
                )
        sittings.close_vote(self.uow, vote_id=vote.id, actor=self.actor, at=self.at)

    def step_walk_out(self, state: _Sitting, w: f.WalkOutStep) -> None:
        org = state.council.organization_id
        faction_ids = [self.faction(n, org) for n in w.factions]
        chosen = self._some_of(w.delegates, state.here.items(), org, "walk out")
        chosen += [self.member(n, org) for n in w.members]
        sittings.walk_out(
            self.uow,
            sitting_id=state.id,
            statement=w.statement,
            member_ids=chosen,
            faction_ids=faction_ids,
            actor=self.actor,
            at=self.at,
        )
        gone = set(chosen)
        gone.update(mid for mid, fid in state.here.items() if fid in faction_ids)
        for mid in gone:
            state.here.pop(mid, None)

    def step_elect(self, state: _Sitting, e: f.CommitteeAction) -> None:
        committee = self.council(e.committee)
        lists = self._lists(e.lists, committee.organization_id, self._delegates_of(state.council))
        standing, ballots = self._ballots(e.standing, e.ballots, committee.organization_id)
        sittings.hold_election(
            self.uow,
            sitting_id=state.id,
            committee_id=committee.id,
            seats=e.seats,
            method=ElectionMethod(e.method),
            lists=lists,
            standing=standing,
            ballots=ballots,
            ties=_ties(e.ties),
            actor=self.actor,
            at=self.at,
        )

    def step_close(self, state: _Sitting, _: bool) -> None:
        sittings.close_sitting(self.uow, sitting_id=state.id, actor=self.actor, at=self.at)

    # -- orders -------------------------------------------------------------------------------

    def do_unit(self, a: f.UnitAction) -> None:
        unit = orders.create_unit(
            self.uow,
            organization_id=self.organization(a.organization),
            name=a.name,
            kind=UnitKind(a.kind),
            constituency_id=None
            if a.constituency is None
            else self.constituency(a.constituency).id,
            actor=self.actor,
            at=self.at,
        )
        self.units[a.name] = unit.id

    def do_authority(self, a: f.AuthorityAction) -> None:
        authority = orders.create_authority(
            self.uow,
            organization_id=self.organization(a.organization),
            name=a.name,
            kind=AuthorityKind(a.kind),
            actor=self.actor,
            at=self.at,
        )
        self.authorities[a.name] = authority.id

    def _units(self, names: Sequence[str]) -> list[int]:
        missing = [n for n in names if n not in self.units]
        if missing:
            raise NotFound(f"no unit {missing[0]!r} in this scenario")
        return [self.units[n] for n in names]

    def do_countersignature(self, a: f.CountersignatureAction) -> None:
        orders.grant_countersignature(
            self.uow,
            council_id=self.council(a.council).id,
            unit_ids=self._units(a.units),
            decision=a.decision,
            actor=self.actor,
            at=self.at,
        )

    def do_order(self, a: f.OrderAction) -> None:
        if a.title in self.orders:
            raise InvalidInput(f"the scenario already has an order {a.title!r}")
        issuer: dict[str, int] = {}
        if a.by in self.councils:
            issuer["council_id"] = self.councils[a.by].id
        elif a.by in self.authorities:
            issuer["authority_id"] = self.authorities[a.by]
        else:
            raise NotFound(f"no body or outside authority {a.by!r} in this scenario")
        order = orders.issue_order(
            self.uow,
            unit_ids=self._units(a.units),
            title=a.title,
            text=a.text,
            countermands_id=None if a.countermands is None else self._order(a.countermands),
            actor=self.actor,
            at=self.at,
            **issuer,
        )
        self.orders[a.title] = order.id

    def _order(self, title: str) -> int:
        if title not in self.orders:
            raise NotFound(f"no order {title!r} in this scenario")
        return self.orders[title]

    def do_countersign(self, a: f.DecideOrderAction) -> None:
        orders.countersign_order(
            self.uow,
            order_id=self._order(a.order),
            council_id=self.council(a.council).id,
            actor=self.actor,
            at=self.at,
        )

    def do_refuse(self, a: f.DecideOrderAction) -> None:
        orders.refuse_order(
            self.uow,
            order_id=self._order(a.order),
            council_id=self.council(a.council).id,
            reason=a.reason,
            actor=self.actor,
            at=self.at,
        )

    def do_sanction(self, a: f.SanctionAction) -> None:
        council = self.council(a.council)
        orders.sanction_faction(
            self.uow,
            faction_id=self.faction(a.faction, council.organization_id),
            council_id=council.id,
            kind=SanctionKind(a.kind),
            effects=a.effects,
            decision=a.decision,
            actor=self.actor,
            at=self.at,
        )

    def do_lift(self, a: f.LiftAction) -> None:
        council = self.council(a.council)
        orders.lift_sanction(
            self.uow,
            faction_id=self.faction(a.faction, council.organization_id),
            council_id=council.id,
            decision=a.decision,
            actor=self.actor,
            at=self.at,
        )


def _order(mandate: Mandate) -> tuple[int, int]:
    return (mandate.id, mandate.member_id)


def _ties(spec: f.TiesSpec | None) -> TieBreak:
    if spec is None:
        return TieBreak()
    return TieBreak(tuple(TieRule(r) for r in spec.rules), seed=spec.seed)


def _fraction(text: str) -> Fraction:
    try:
        return Fraction(text.strip())
    except (ValueError, ZeroDivisionError) as error:
        raise InvalidInput(f"{text!r} is not a share like 1/10") from error


def replay(
    uow: UnitOfWork,
    scenario: f.Scenario,
    *,
    actor: str | None = None,
    progress: Progress | None = None,
) -> Replayed:
    """Replay the scenario's events in order, as one transaction."""
    run = _Replay(uow, scenario, actor or f"replay:{scenario.name}")
    entries: list[tuple[dt.datetime, str, int]] = []
    with uow:
        before = uow.ledger.head()[0]
        for number, event in enumerate(scenario.events, start=1):
            where = f"event {number} ({event.at}, {event.title!r})"
            recorded = run.event(event, where)
            entries.append((run.moment(event.at), event.title, recorded))
            if progress is not None:
                progress(number, event)
        total = uow.ledger.head()[0] - before
        uow.commit()
    return Replayed(
        scenario=scenario,
        organization_ids=tuple(run.organizations.values()),
        chronicle_organization_id=run.organizations[scenario.chronicle],
        entries=tuple(entries),
        events=total,
    )
