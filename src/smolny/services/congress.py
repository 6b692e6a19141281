"""Congresses of lower councils: apportionment over their electors, convocations, the
credentials of the delegates presenting themselves, the central executive committee the
congress elects, and the body that acts for the congress between its sittings."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from smolny.domain.composition import NON_PARTY, Composition, compose
from smolny.domain.congress import (
    REASON_NAMES,
    CongressApportioned,
    CongressApportionment,
    CongressClosed,
    CongressConvened,
    Convocation,
    Credential,
    CredentialReason,
    CredentialsChecked,
    Decision,
    decide_credentials,
)
from smolny.domain.elections import Election, ElectionMethod, ListTally, RankedBallot
from smolny.domain.errors import AlreadyExists, InvalidInput, NotFound, RuleViolation
from smolny.domain.federation import (
    ELECTED_BODIES,
    Constituency,
    Council,
    CouncilKind,
    Faction,
    Member,
    Organization,
    Power,
)
from smolny.domain.mandates import Mandate
from smolny.domain.seat_rules import SeatRule, StepRule, TieBreak, parse_seat_rule, rule_text
from smolny.ledger.chain import iso
from smolny.services.elections import (
    Cast,
    check_apportionment,
    check_committee,
    do_apportion,
    do_elect_committee,
    electorates,
)
from smolny.store.congress import (
    apportionment_at,
    convocation_at,
    councils_below,
    credentials_in_force,
    last_convocation,
    mandates_of_members,
    member_constituencies,
    seated_mandates,
)
from smolny.store.congress import congress_convocations as convocations_table
from smolny.store.repository import Repository
from smolny.store.tables import mandates as mandates_table
from smolny.store.uow import UnitOfWork

# -- apportionment ---------------------------------------------------------------------------


def apportion_congress(
    uow: UnitOfWork,
    *,
    congress_id: int,
    rule: SeatRule,
    ties: TieBreak = TieBreak(),
    reported: Mapping[int, int] | None = None,
    actor: str,
    at: datetime | None = None,
) -> CongressApportionment:
    """Share the congress's seats over the electors of its lower councils by `rule`.

    The electors of a lower council are the members enrolled under it, through any council
    in between (a district congress of small soviets counts the members of all of them);
    `reported` gives, for some constituencies, the electors their council reported instead.
    A lower council that is also counted under another constituency of the congress (it
    combined with others) gets no seats of its own. With a step rule, the councils under the
    threshold get no seat and are recorded as having to combine.
    """
    reported = dict(reported or {})
    with uow:
        uow.lock()
        congress = uow.repo.get(Council, congress_id)
        constituencies = check_apportionment(uow, congress)
        lower = [c for c in constituencies if c.lower_council_id is not None]
        if not lower:
            raise RuleViolation(
                f"{congress.name} has no lower councils among its constituencies: "
                "add them as constituencies of kind 'council'"
            )
        known = {c.id: c for c in constituencies}
        for cid, electors in reported.items():
            if cid not in known:
                raise InvalidInput(
                    f"constituency {cid} is not a constituency of {congress.name}",
                    field="reported",
                )
            if isinstance(electors, bool) or not isinstance(electors, int) or electors < 0:
                raise InvalidInput(
                    f"{known[cid].name}: electors must be a whole number of at least 0",
                    field="reported",
                )
        through = combined_through(uow.repo, congress, constituencies)
        moment = uow.moment(at, congress.organization_id)
        counted = electorates(uow, constituencies, moment)
        counted.update(reported)
        weights = {cid: 0 if cid in through else n for cid, n in counted.items()}
        result = do_apportion(
            uow, congress, constituencies, rule, ties, weights, moment=moment, actor=actor
        )
        ids = tuple(c.id for c in constituencies)
        aid = uow.repo.next_id(CongressApportionment)
        uow.record(
            CongressApportioned(
                apportionment_id=aid,
                council_id=congress.id,
                rule_text=rule_text(rule),
                rule=f"{rule.describe()}; {ties.describe()}",
                constituency_ids=ids,
                electors=tuple(counted[cid] for cid in ids),
                seats=tuple(result.seats[cid] for cid in ids),
                combine=tuple(cid for cid in result.excluded if cid not in through),
                combined=tuple(through),
                combined_through=tuple(through.values()),
                reported=tuple(sorted(reported)),
            ),
            at=moment,
            actor=actor,
            organization_id=congress.organization_id,
        )
        record = uow.repo.get(CongressApportionment, aid)
        uow.commit()
    return record


def combined_through(
    repo: Repository, congress: Council, constituencies: Sequence[Constituency]
) -> dict[int, int]:
    """Constituencies of the congress whose lower council is also counted under another of
    its constituencies (a soviet combined in a district congress): constituency -> the one
    it is counted in. Refuses a council counted twice otherwise, and a congress under itself.
    """
    lower = {c.id: c.lower_council_id for c in constituencies if c.lower_council_id is not None}
    tree = councils_below(repo, set(lower.values()))
    names = {c.id: c.name for c in repo.councils(congress.organization_id)}
    counted_in: dict[int, int] = {}  # council -> the constituency it is counted under
    for cid, council_id in lower.items():
        _, passed = member_constituencies(tree, council_id)
        if congress.id in passed:
            raise RuleViolation(
                f"{names[council_id]} sends delegates, through its lower councils, to "
                f"{congress.name} itself: a congress cannot be among its own lower councils"
            )
        for inner in passed[1:]:
            if inner in counted_in and counted_in[inner] != cid:
                first, second = counted_in[inner], cid
                raise RuleViolation(
                    f"{names[inner]} would be counted twice in {congress.name}: under "
                    f"{names[lower[first]]} and under {names[lower[second]]}"
                )
            counted_in[inner] = cid
    return {cid: counted_in[council] for cid, council in lower.items() if council in counted_in}


@dataclass(frozen=True)
class ApportionmentRow:
    constituency: Constituency
    council: Council | None  # the lower council (None: a constituency of members)
    electors: int
    seats: int
    must_combine: bool  # under the threshold, not yet combined
    through: Constituency | None  # counted under this constituency instead (combined)
    reported: bool
    combines: tuple[Council, ...]  # the lower councils this one gathers (a district congress)


@dataclass(frozen=True)
class ApportionmentView:
    congress: Council
    at: datetime
    record: CongressApportionment | None  # None: no congress apportionment in force
    rule: str | None
    rule_text: str | None
    threshold: int | None  # a step rule's threshold, for the chart
    rows: list[ApportionmentRow]  # most electors first

    @property
    def seats(self) -> int:
        return sum(r.seats for r in self.rows)

    @property
    def electors(self) -> int:
        return sum(r.electors for r in self.rows if r.through is None)

    @property
    def must_combine(self) -> list[ApportionmentRow]:
        return [r for r in self.rows if r.must_combine]


def apportionment_view(
    uow: UnitOfWork, congress_id: int, at: datetime | None = None
) -> ApportionmentView:
    """The congress's seats by lower council at `at`: electors, seats, the rule, who must
    combine (from its last recorded apportionment, if the seats in force are those)."""
    with uow:
        return _apportionment_view(uow, uow.repo.get(Council, congress_id), at or uow.now())


def _apportionment_view(uow: UnitOfWork, congress: Council, at: datetime) -> ApportionmentView:
    repo = uow.repo
    constituencies = {c.id: c for c in repo.constituencies(congress.id)}
    councils = {c.id: c for c in repo.councils(congress.organization_id)}
    allocations = repo.allocations_at(congress.id, at)
    seats = Counter[int]()
    for allocation in allocations:
        if allocation.constituency_id is not None:
            seats[allocation.constituency_id] += allocation.seats
    record = apportionment_at(repo, congress.id, at)
    if record is not None and any(a.valid_from != record.held_at for a in allocations):
        record = None  # the seats in force were apportioned later, without a congress record
    if record is not None:
        electors = dict(zip(record.constituency_ids, record.electors, strict=True))
        combine, through, reported = set(record.combine), record.through(), set(record.reported)
        rule: SeatRule | None = parse_seat_rule(record.rule_text)
    else:
        electors = electorates(uow, list(constituencies.values()), at) if constituencies else {}
        combine, through, reported, rule = set(), {}, set(), None
    tree = councils_below(
        repo, {c.lower_council_id for c in constituencies.values() if c.lower_council_id}
    )
    rows = []
    for cid in electors:
        constituency = constituencies[cid]
        lower = constituency.lower_council_id
        rows.append(
            ApportionmentRow(
                constituency=constituency,
                council=councils.get(lower) if lower is not None else None,
                electors=electors[cid],
                seats=seats.get(cid, 0),
                must_combine=cid in combine,
                through=constituencies[through[cid]] if cid in through else None,
                reported=cid in reported,
                combines=tuple(
                    councils[c.lower_council_id]
                    for c in tree.get(lower, [])
                    if c.lower_council_id is not None
                )
                if lower is not None
                else (),
            )
        )
    rows.sort(key=lambda r: (-r.electors, r.constituency.name))
    return ApportionmentView(
        congress=congress,
        at=at,
        record=record,
        rule=record.rule if record else None,
        rule_text=record.rule_text if record else None,
        threshold=rule.threshold if isinstance(rule, StepRule) else None,
        rows=rows,
    )


def apportionment_document(view: ApportionmentView) -> dict[str, Any]:
    return {
        "congress": view.congress.name,
        "at": iso(view.at),
        "rule": view.rule,
        "rule_text": view.rule_text,
        "seats": view.seats,
        "electors": view.electors,
        "constituencies": [
            {
                "constituency_id": r.constituency.id,
                "name": r.constituency.name,
                "council_id": r.council.id if r.council else None,
                "electors": r.electors,
                "reported": r.reported,
                "seats": r.seats,
                "must_combine": r.must_combine,
                "combined_in": r.through.name if r.through else None,
                "combines": [c.name for c in r.combines],
            }
            for r in view.rows
        ],
        "must_combine": [r.constituency.name for r in view.must_combine],
    }


# -- convocations ----------------------------------------------------------------------------


def _congress(uow: UnitOfWork, congress_id: int) -> Council:
    congress = uow.repo.get(Council, congress_id)
    if congress.kind is not CouncilKind.CONGRESS:
        raise RuleViolation(
            f"{congress.name} is a {congress.kind.value}, not a congress of lower councils"
        )
    return congress


def convene_congress(
    uow: UnitOfWork, *, congress_id: int, name: str, actor: str, at: datetime | None = None
) -> Convocation:
    """Open a convocation of the congress (the Second All-Russian Congress): from now on
    the delegates presenting themselves have their credentials checked."""
    name = " ".join(name.split())
    if not name:
        raise InvalidInput("a convocation needs a name", field="name")
    if len(name) > 200:
        raise InvalidInput("a convocation's name is longer than 200 characters", field="name")
    with uow:
        uow.lock()
        congress = _congress(uow, congress_id)
        moment = uow.moment(at, congress.organization_id)
        sitting = convocation_at(uow.repo, congress.id, moment)
        if sitting is not None:
            raise RuleViolation(
                f"{congress.name} is in session ({sitting.name}, opened "
                f"{sitting.opened_at.date().isoformat()}): close it first"
            )
        if uow.repo.first(
            Convocation,
            convocations_table.c.council_id == congress.id,
            convocations_table.c.name == name,
        ):
            raise AlreadyExists(f"{congress.name} already had a convocation {name!r}", field="name")
        cid = uow.repo.next_id(Convocation)
        uow.record(
            CongressConvened(cid, congress.id, name),
            at=moment,
            actor=actor,
            organization_id=congress.organization_id,
        )
        convocation = uow.repo.get(Convocation, cid)
        uow.commit()
    return convocation


def close_congress(
    uow: UnitOfWork, *, congress_id: int, actor: str, at: datetime | None = None
) -> Convocation:
    """Close the convocation in session: until the next, the congress's delegates are not
    seated and the body it gave the power acts for it."""
    with uow:
        uow.lock()
        congress = _congress(uow, congress_id)
        moment = uow.moment(at, congress.organization_id)
        sitting = _in_session(uow, congress, moment)
        uow.record(
            CongressClosed(sitting.id),
            at=moment,
            actor=actor,
            organization_id=congress.organization_id,
        )
        convocation = uow.repo.get(Convocation, sitting.id)
        uow.commit()
    return convocation


def _in_session(uow: UnitOfWork, congress: Council, at: datetime) -> Convocation:
    sitting = convocation_at(uow.repo, congress.id, at)
    if sitting is None:
        raise RuleViolation(f"{congress.name} is not in session on {at.date().isoformat()}")
    return sitting


def convocation_in_session(
    uow: UnitOfWork, congress_id: int, at: datetime | None = None
) -> Convocation:
    """The congress's convocation in session at `at` (default now); refused if none."""
    with uow:
        congress = _congress(uow, congress_id)
        return _in_session(uow, congress, at or uow.now())


# -- credentials -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Presentation:
    """A delegate presenting themselves as sent by a lower council."""

    member_id: int
    council_id: int


def check_credentials(
    uow: UnitOfWork,
    *,
    convocation_id: int,
    presented: Sequence[Presentation],
    actor: str,
    at: datetime | None = None,
) -> list[Credential]:
    """Check the delegates presenting themselves at the convocation, each against the
    council that sends them: seated if they hold an active mandate in the congress from that
    council's constituency, refused otherwise with the reason. Every decision is recorded."""
    if not presented:
        raise InvalidInput("name at least one delegate presenting themselves", field="presented")
    seen = Counter(p.member_id for p in presented)
    twice = [mid for mid, n in seen.items() if n > 1]
    if twice:
        raise InvalidInput(f"member {twice[0]} presents twice", field="presented")
    with uow:
        uow.lock()
        convocation = uow.repo.get(Convocation, convocation_id)
        congress = uow.repo.get(Council, convocation.council_id)
        moment = uow.moment(at, congress.organization_id)
        if not convocation.in_session(moment):
            raise RuleViolation(
                f"{convocation.name} of {congress.name} is not in session on "
                f"{moment.date().isoformat()}: credentials are checked while it sits"
            )
        context = _CheckContext.load(uow, congress, [p.member_id for p in presented], moment)
        in_force = {c.member_id: c for c in credentials_in_force(uow.repo, convocation.id, moment)}
        decided = []
        for p in presented:
            member = context.member(p.member_id)
            council = context.council(p.council_id)
            previous = in_force.get(p.member_id)
            if previous is not None:
                _check_again(context, previous, member, convocation, moment)
            decision = context.decide(member, council, moment)
            credential_id = uow.repo.next_id(Credential)
            uow.record(
                CredentialsChecked(
                    credential_id=credential_id,
                    convocation_id=convocation.id,
                    member_id=member.id,
                    council_id=council.id,
                    constituency_id=decision.constituency_id,
                    mandate_id=decision.mandate_id,
                    seated=decision.seated,
                    reason=decision.reason,
                    detail=decision.detail,
                    superseded_id=previous.id if previous else None,
                ),
                at=moment,
                actor=actor,
                organization_id=congress.organization_id,
            )
            decided.append(credential_id)
        found = {c.id: c for c in credentials_in_force(uow.repo, convocation.id, moment)}
        uow.commit()
    return [found[cid] for cid in decided]


def present_credentials(
    uow: UnitOfWork,
    *,
    convocation_id: int,
    member_id: int,
    council_id: int,
    actor: str,
    at: datetime | None = None,
) -> Credential:
    """One delegate presents themselves: see `check_credentials`."""
    (credential,) = check_credentials(
        uow,
        convocation_id=convocation_id,
        presented=[Presentation(member_id, council_id)],
        actor=actor,
        at=at,
    )
    return credential


def refuse_credentials(
    uow: UnitOfWork,
    *,
    convocation_id: int,
    member_id: int,
    reason: str,
    by_council_id: int,
    council_id: int | None = None,
    actor: str,
    at: datetime | None = None,
) -> Credential:
    """A body holding the check-credentials power (a credentials commission) refuses a
    delegate's credentials, stating why; it supersedes any earlier check. `council_id`, the
    council the delegate says sends them, defaults to the one they presented from."""
    reason = " ".join(reason.split())
    if not reason:
        raise InvalidInput("state the reason for refusing the credentials", field="reason")
    with uow:
        uow.lock()
        convocation = uow.repo.get(Convocation, convocation_id)
        congress = uow.repo.get(Council, convocation.council_id)
        body = uow.repo.get(Council, by_council_id)
        check_credentials_power(uow, body, congress)
        moment = uow.moment(at, congress.organization_id)
        if not convocation.in_session(moment):
            raise RuleViolation(
                f"{convocation.name} of {congress.name} is not in session on "
                f"{moment.date().isoformat()}"
            )
        context = _CheckContext.load(uow, congress, [member_id], moment)
        member = context.member(member_id)
        previous = next(
            (
                c
                for c in credentials_in_force(uow.repo, convocation.id, moment)
                if c.member_id == member_id
            ),
            None,
        )
        if council_id is None:
            if previous is None:
                raise InvalidInput(
                    f"{member.name} has not presented themselves: name the council that sends them",
                    field="council_id",
                )
            council_id = previous.council_id
        council = context.council(council_id)
        decision = context.decide(member, council, moment)
        credential_id = uow.repo.next_id(Credential)
        uow.record(
            CredentialsChecked(
                credential_id=credential_id,
                convocation_id=convocation.id,
                member_id=member.id,
                council_id=council.id,
                constituency_id=decision.constituency_id,
                mandate_id=decision.mandate_id,
                seated=False,
                reason=CredentialReason.REFUSED,
                detail=f"refused by {body.name}: {reason}",
                checked_by_id=body.id,
                superseded_id=previous.id if previous else None,
            ),
            at=moment,
            actor=actor,
            organization_id=congress.organization_id,
        )
        credential = uow.repo.get(Credential, credential_id)
        uow.commit()
    return credential


def check_credentials_power(uow: UnitOfWork, body: Council, congress: Council) -> None:
    """The body holds the check-credentials power and belongs to the congress: it is the
    congress, or a committee it elected (or a committee of one, and so on)."""
    if Power.CHECK_CREDENTIALS not in body.powers:
        raise RuleViolation(
            f"{body.name} does not hold the {Power.CHECK_CREDENTIALS.value} power: only a "
            "body given it (a credentials commission) refuses credentials"
        )
    current: Council | None = body
    while current is not None and current.id != congress.id:
        current = uow.repo.get(Council, current.parent_id) if current.parent_id else None
    if current is None:
        raise RuleViolation(f"{body.name} is not a body of {congress.name}")


def _check_again(
    context: _CheckContext,
    previous: Credential,
    member: Member,
    convocation: Convocation,
    at: datetime,
) -> None:
    """A delegate may present again after a refusal (with a new mandate, say), not while
    seated, and not against a refusal by the credentials body."""
    if previous.seated:
        held = context.mandates.get(member.id, [])
        if any(m.id == previous.mandate_id and m.active_at(at) for m in held):
            raise AlreadyExists(
                f"{member.name} is already seated at {convocation.name} of "
                f"{context.congress.name} (since {previous.checked_at.date().isoformat()})"
            )
    if previous.reason is CredentialReason.REFUSED:
        raise RuleViolation(
            f"{member.name}'s credentials were {previous.detail} "
            f"(on {previous.checked_at.date().isoformat()})"
        )


@dataclass
class _CheckContext:
    """What checking credentials needs, read once for a whole batch of delegates."""

    congress: Council
    councils: dict[int, Council]
    members: dict[int, Member]
    by_council: dict[int, list[Constituency]]  # lower council -> its congress constituencies
    names: dict[int, str]  # congress constituency -> name
    seats: Counter[int]
    mandates: dict[int, list[Mandate]]  # member -> mandates in the congress, any period
    under: dict[int, int]  # lower council -> the congress constituency it is counted under

    @classmethod
    def load(
        cls, uow: UnitOfWork, congress: Council, member_ids: Sequence[int], at: datetime
    ) -> _CheckContext:
        repo = uow.repo
        constituencies = repo.constituencies(congress.id)
        by_council: dict[int, list[Constituency]] = {}
        for c in constituencies:
            if c.lower_council_id is not None:
                by_council.setdefault(c.lower_council_id, []).append(c)
        seats = Counter[int]()
        for allocation in repo.allocations_at(congress.id, at):
            if allocation.constituency_id is not None:
                seats[allocation.constituency_id] += allocation.seats
        mandates: dict[int, list[Mandate]] = {}
        for m in mandates_of_members(repo, congress.id, member_ids):
            mandates.setdefault(m.member_id, []).append(m)
        tree = councils_below(repo, set(by_council))
        under: dict[int, int] = {}
        for c in constituencies:
            if c.lower_council_id is not None:
                for inner in member_constituencies(tree, c.lower_council_id)[1][1:]:
                    under.setdefault(inner, c.id)
        return cls(
            congress=congress,
            councils={c.id: c for c in repo.councils(congress.organization_id)},
            members=repo.members_by_id(member_ids),
            by_council=by_council,
            names={c.id: c.name for c in constituencies},
            seats=seats,
            mandates=mandates,
            under=under,
        )

    def member(self, member_id: int) -> Member:
        if member_id not in self.members:
            raise NotFound(
                f"member {member_id} is not a member of this organization", field="member_id"
            )
        return self.members[member_id]

    def council(self, council_id: int) -> Council:
        council = self.councils.get(council_id)
        if council is None:
            raise NotFound(
                f"council {council_id} is not a council of this organization", field="council_id"
            )
        if council.kind in ELECTED_BODIES:
            raise RuleViolation(
                f"{council.name} is a {council.kind.value}: delegates to {self.congress.name} "
                "are sent by lower councils"
            )
        return council

    def decide(self, member: Member, council: Council, at: datetime) -> Decision:
        own = self.by_council.get(council.id, [])
        ids = [c.id for c in own]
        under = self.under.get(council.id)
        return decide_credentials(
            member=member.name,
            council=council.name,
            congress=self.congress.name,
            constituency_ids=ids,
            seats=sum(self.seats[cid] for cid in ids),
            mandates=self.mandates.get(member.id, []),
            at=at,
            elsewhere={cid: name for cid, name in self.names.items() if cid not in ids},
            through=self.names[under] if under is not None else None,
        )


@dataclass(frozen=True)
class CredentialRow:
    credential: Credential
    member: Member
    faction: str
    council: str  # the council that sends the delegate
    detail: str
    checked_by: str | None


@dataclass(frozen=True)
class AbsentDelegate:
    mandate: Mandate
    member: Member
    faction: str
    origin: str


@dataclass(frozen=True)
class CredentialsReport:
    """The credentials of a convocation at a moment: who is seated, who was refused and
    why, who was seated and has since lost the mandate, who has not presented."""

    congress: Council
    convocation: Convocation
    at: datetime
    seats: int
    seated: list[CredentialRow]
    refused: list[CredentialRow]
    left: list[CredentialRow]  # seated, then the mandate ended (recalled, resigned)
    absent: list[AbsentDelegate]  # hold a mandate, have not presented themselves

    def by_reason(self) -> dict[str, int]:
        counts = Counter(r.credential.reason for r in self.refused if r.credential.reason)
        return {
            REASON_NAMES[reason]: counts[reason] for reason in CredentialReason if counts[reason]
        }


def credentials_report(
    uow: UnitOfWork, convocation_id: int, at: datetime | None = None
) -> CredentialsReport:
    """The credentials report of a convocation as of `at` (default now; a closed
    convocation's report is as it stood at its close)."""
    with uow:
        convocation = uow.repo.get(Convocation, convocation_id)
        return _report(uow, convocation, at or uow.now())


def as_of(convocation: Convocation, at: datetime) -> Convocation:
    """The convocation as it was known at `at`: still open if it closed later."""
    if convocation.closed_at is not None and convocation.closed_at > at:
        return replace(convocation, closed_at=None)
    return convocation


def _moment_in(convocation: Convocation, at: datetime) -> datetime:
    if convocation.closed_at is not None and at >= convocation.closed_at:
        return convocation.closed_at - timedelta(microseconds=1)
    return at


def _report(uow: UnitOfWork, convocation: Convocation, at: datetime) -> CredentialsReport:
    repo = uow.repo
    convocation = as_of(convocation, at)
    congress = repo.get(Council, convocation.council_id)
    moment = _moment_in(convocation, at)
    credentials = credentials_in_force(repo, convocation.id, moment)
    sitting = repo.mandates_at(moment, council_id=congress.id)
    mandate_ids = {c.mandate_id for c in credentials if c.mandate_id is not None}
    mandates = (
        {m.id: m for m in repo.where(Mandate, mandates_table.c.id.in_(sorted(mandate_ids)))}
        if mandate_ids
        else {}
    )
    members = repo.members_by_id(
        [c.member_id for c in credentials] + [m.member_id for m in sitting]
    )
    councils = {c.id: c for c in repo.councils(congress.organization_id)}
    factions = {f.id: f.name for f in repo.factions(congress.organization_id)}
    constituencies = {c.id: c for c in repo.constituencies(congress.id)}

    def faction(member: Member, mandate: Mandate | None) -> str:
        fid = mandate.faction_id if mandate is not None else member.faction_id
        return factions.get(fid, NON_PARTY) if fid is not None else NON_PARTY

    seated, refused, left = [], [], []
    for credential in credentials:
        member = members[credential.member_id]
        mandate = mandates.get(credential.mandate_id) if credential.mandate_id else None
        checked_by = councils[credential.checked_by_id].name if credential.checked_by_id else None
        row = CredentialRow(
            credential,
            member,
            faction(member, mandate),
            councils[credential.council_id].name,
            credential.detail,
            checked_by,
        )
        if not credential.seated:
            refused.append(row)
        elif mandate is not None and mandate.active_at(moment):
            seated.append(row)
        else:
            ended = mandate.valid_to if mandate is not None else None
            how = mandate.end_reason.value if mandate and mandate.end_reason else "ended"
            when = f" on {ended.date().isoformat()}" if ended else ""
            left.append(
                CredentialRow(
                    credential,
                    member,
                    row.faction,
                    row.council,
                    f"mandate ended ({how}){when}",
                    None,
                )
            )
    presented = {c.member_id for c in credentials}
    absent = [
        AbsentDelegate(
            m,
            members[m.member_id],
            faction(members[m.member_id], m),
            constituencies[m.constituency_id].name if m.constituency_id in constituencies else "",
        )
        for m in sitting
        if m.member_id not in presented
    ]

    def key(row: CredentialRow) -> tuple[str, str]:
        return (row.council, row.member.name)

    return CredentialsReport(
        congress=congress,
        convocation=convocation,
        at=moment,
        seats=sum(a.seats for a in repo.allocations_at(congress.id, moment)),
        seated=sorted(seated, key=key),
        refused=sorted(refused, key=key),
        left=sorted(left, key=key),
        absent=sorted(absent, key=lambda a: (a.origin, a.member.name)),
    )


def report_document(report: CredentialsReport) -> dict[str, Any]:
    def row(r: CredentialRow) -> dict[str, Any]:
        return {
            "member_id": r.member.id,
            "name": r.member.name,
            "number": r.member.number,
            "faction": r.faction,
            "from": r.council,
            "mandate": r.credential.mandate_id,
            "checked_at": iso(r.credential.checked_at),
            "reason": r.credential.reason.value if r.credential.reason else None,
            "detail": r.detail,
            "checked_by": r.checked_by,
        }

    return {
        "congress": report.congress.name,
        "convocation": report.convocation.name,
        "convocation_id": report.convocation.id,
        "opened_at": iso(report.convocation.opened_at),
        "closed_at": iso(report.convocation.closed_at) if report.convocation.closed_at else None,
        "at": iso(report.at),
        "seats": report.seats,
        "seated_count": len(report.seated),
        "refused_count": len(report.refused),
        "refused_by_reason": report.by_reason(),
        "seated": [row(r) for r in report.seated],
        "refused": [row(r) for r in report.refused],
        "left": [row(r) for r in report.left],
        "absent": [
            {
                "member_id": a.member.id,
                "name": a.member.name,
                "faction": a.faction,
                "from": a.origin,
            }
            for a in report.absent
        ],
    }


def seated_at_congress(
    uow: UnitOfWork, congress_id: int, at: datetime | None = None
) -> list[Mandate]:
    """The mandates of the delegates seated at the congress at `at` (default now): those
    whose credentials were accepted at the convocation in session, and whose mandate is
    still active. Empty when the congress is not in session. (Inside an open unit of work,
    use `smolny.store.congress.seated_mandates`.)"""
    with uow:
        congress = uow.repo.get(Council, congress_id)
        moment = at or uow.now()
        convocation = convocation_at(uow.repo, congress.id, moment)
        return seated_mandates(uow.repo, convocation.id, moment) if convocation else []


# -- the central executive committee ---------------------------------------------------------


def elect_central_committee(
    uow: UnitOfWork,
    *,
    committee_id: int,
    seats: int,
    lists: Sequence[ListTally] = (),
    method: ElectionMethod = ElectionMethod.DHONDT,
    standing: Sequence[int] = (),
    ballots: Sequence[RankedBallot] = (),
    ties: TieBreak = TieBreak(),
    congress_id: int | None = None,
    actor: str,
    at: datetime | None = None,
) -> Election:
    """The congress in session elects a committee of its own (its central executive
    committee), counted as `services.elections.elect_committee` counts, among the delegates
    seated at credentials only: they vote, and only they may stand. A list without votes
    counts with its faction's seated delegates. `congress_id`, if given, must be the
    committee's congress."""
    with uow:
        uow.lock()
        committee = uow.repo.get(Council, committee_id)
        congress = check_committee(uow, committee, seats, method)
        if congress.kind is not CouncilKind.CONGRESS or (
            congress_id is not None and congress.id != congress_id
        ):
            raise RuleViolation(f"{committee.name} is not elected by this congress")
        moment = uow.moment(at, congress.organization_id)
        convocation = _in_session(uow, congress, moment)
        seated = seated_mandates(uow.repo, convocation.id, moment)
        if not seated:
            raise RuleViolation(
                f"no delegate is seated at {convocation.name} of {congress.name}: "
                "check the credentials first"
            )
        election = do_elect_committee(
            uow,
            committee,
            congress,
            seated,
            seats=seats,
            cast=Cast((), tuple(lists), tuple(standing), tuple(ballots)),
            method=method,
            ties=ties,
            moment=moment,
            actor=actor,
        )
        uow.commit()
    return election


def acting_for_congress(
    uow: UnitOfWork, congress_id: int, at: datetime | None = None
) -> list[Council]:
    """Who acts for the congress at `at`: the congress itself while in session; between its
    sittings, the bodies it elected that hold the act-between-sittings power (its central
    executive committee)."""
    with uow:
        congress = uow.repo.get(Council, congress_id)
        return _acting(uow, congress, at or uow.now())


def _acting(uow: UnitOfWork, congress: Council, at: datetime) -> list[Council]:
    if convocation_at(uow.repo, congress.id, at) is not None:
        return [congress]
    return [
        c
        for c in uow.repo.councils(congress.organization_id)
        if c.parent_id == congress.id
        and Power.ACT_BETWEEN_SITTINGS in c.powers
        and c.created_at <= at
    ]


# -- the congress page -----------------------------------------------------------------------


@dataclass(frozen=True)
class CommitteeView:
    council: Council
    seats: int
    filled: int
    factions: list[tuple[str, int, str]]  # (faction, seats, colour), in faction order
    acts_between_sittings: bool


@dataclass(frozen=True)
class CongressView:
    congress: Council
    organization: Organization
    at: datetime
    apportionment: ApportionmentView
    convocations: list[Convocation]  # opened at or before `at`
    convocation: Convocation | None  # in session at `at`, else the last one
    in_session: bool
    report: CredentialsReport | None
    seated: Composition | None  # the seated delegates, by faction
    committees: list[CommitteeView]
    acting: list[Council]


NON_PARTY_COLOR = "#7f8c8d"


def congress_view(uow: UnitOfWork, congress_id: int, at: datetime | None = None) -> CongressView:
    with uow:
        repo = uow.repo
        congress = _congress(uow, congress_id)
        moment = at or uow.now()
        convocations = sorted(
            [
                as_of(c, moment)
                for c in repo.where(
                    Convocation,
                    convocations_table.c.council_id == congress.id,
                    convocations_table.c.opened_at <= moment,
                )
            ],
            key=lambda c: (c.opened_at, c.id),
        )
        last = last_convocation(repo, congress.id, moment)
        current = as_of(last, moment) if last else None
        report = _report(uow, current, moment) if current else None
        seated = None
        factions = repo.factions(congress.organization_id)
        if current is not None and report is not None:
            mandates = seated_mandates(repo, current.id, report.at)
            seated = compose(
                congress,
                report.at,
                allocations=repo.allocations_at(congress.id, report.at),
                mandates=mandates,
                members=repo.members_by_id(m.member_id for m in mandates),
                factions=factions,
                sections=repo.sections(congress.id),
                constituencies={c.id: c for c in repo.constituencies(congress.id)},
                councils={c.id: c for c in repo.councils(congress.organization_id)},
            )
        committees = [
            c
            for c in repo.councils(congress.organization_id)
            if c.parent_id == congress.id and c.created_at <= moment
        ]
        ids = [c.id for c in committees]
        seats = repo.seats_at(ids, moment)
        filled = repo.filled_at(ids, moment)
        by_faction = repo.faction_seats_at(ids, moment)
        return CongressView(
            congress=congress,
            organization=repo.get(Organization, congress.organization_id),
            at=moment,
            apportionment=_apportionment_view(uow, congress, moment),
            convocations=convocations,
            convocation=current,
            in_session=current is not None and current.in_session(moment),
            report=report,
            seated=seated,
            committees=[
                CommitteeView(
                    c,
                    seats[c.id],
                    filled[c.id],
                    _faction_seats(by_faction[c.id], factions),
                    Power.ACT_BETWEEN_SITTINGS in c.powers,
                )
                for c in committees
            ],
            acting=_acting(uow, congress, moment),
        )


def _faction_seats(
    counts: dict[int | None, int], factions: Sequence[Faction]
) -> list[tuple[str, int, str]]:
    rows = [(f.name, counts[f.id], f.color) for f in factions if counts.get(f.id)]
    if counts.get(None):
        rows.append((NON_PARTY, counts[None], NON_PARTY_COLOR))
    return rows


def congress_document(view: CongressView) -> dict[str, Any]:
    return {
        "congress": view.congress.name,
        "congress_id": view.congress.id,
        "at": iso(view.at),
        "in_session": view.in_session,
        "convocation": view.convocation.name if view.convocation else None,
        "convocations": [
            {
                "id": c.id,
                "name": c.name,
                "opened_at": iso(c.opened_at),
                "closed_at": iso(c.closed_at) if c.closed_at else None,
            }
            for c in view.convocations
        ],
        "apportionment": apportionment_document(view.apportionment),
        "credentials": report_document(view.report) if view.report else None,
        "seated_by_faction": view.seated.seats_by_faction() if view.seated else {},
        "committees": [
            {
                "id": c.council.id,
                "name": c.council.name,
                "seats": c.seats,
                "filled": c.filled,
                "factions": {name: n for name, n, _ in c.factions},
                "powers": [p.value for p in c.council.powers],
            }
            for c in view.committees
        ],
        "acting": [c.name for c in view.acting],
    }


# -- finding members ---------------------------------------------------------------------------
