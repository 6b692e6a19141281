"""Rights derived from the record: the pure decisions, with the reasons they give."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from smolny.domain.errors import InvalidInput
from smolny.domain.federation import (
    Constituency,
    ConstituencyKind,
    Council,
    CouncilKind,
    Member,
    Membership,
    Power,
    RecallBasis,
)
from smolny.domain.mandates import Mandate, MandateEnd
from smolny.domain.orders import CountersignPower
from smolny.domain.rights import (
    ADMIN_ACTIONS,
    DELEGATE_ACTIONS,
    MEMBER_ACTIONS,
    OFFICER_ACTIONS,
    Action,
    Actor,
    Facts,
    Target,
    decide,
)

ORG = 1


def t(day: int, hour: int = 12) -> datetime:
    return datetime(2026, 4, day, hour, tzinfo=UTC)


def body(
    id: int,
    name: str,
    kind: CouncilKind = CouncilKind.COUNCIL,
    parent: int | None = None,
    powers: tuple[Power, ...] = (),
) -> Council:
    return Council(id, ORG, name, name.lower().replace(" ", "-"), kind, parent, t(1), powers)


CITY = body(1, "City Council")
CHAIR = body(2, "Chair of City Council", CouncilKind.OFFICE, 1, (Power.CHAIR, Power.CONVENE))
SECRETARY = body(3, "Secretary of City Council", CouncilKind.OFFICE, 1, (Power.KEEP_MINUTES,))
MRC = body(4, "Military Committee", CouncilKind.COMMITTEE, 1, (Power.COUNTERSIGN,))
EXECUTIVE = body(5, "Executive", CouncilKind.COMMITTEE, 1, (Power.ACT_BETWEEN_SITTINGS,))
CONGRESS = body(6, "Congress", CouncilKind.CONGRESS)
COUNCILS = {c.id: c for c in (CITY, CHAIR, SECRETARY, MRC, EXECUTIVE, CONGRESS)}


def place(id: int, name: str, council: int = CITY.id, lower: int | None = None) -> Constituency:
    kind = ConstituencyKind.COUNCIL if lower else ConstituencyKind.WORKPLACE
    return Constituency(id, council, name, kind, None, lower, RecallBasis.MEMBERS, 1, 2, t(1))


MILL = place(1, "Mill")
DOCKS = place(2, "Docks")
CITY_SEAT = place(3, "City Council", CONGRESS.id, lower=CITY.id)  # the city at the congress
ANA = Member(7, ORG, "7", "Ana Berg", None, t(1))


def seat(
    id: int,
    council: Council,
    start: datetime = t(2),
    end: datetime | None = None,
    reason: MandateEnd | None = None,
    section: int | None = None,
) -> Mandate:
    return Mandate(id, council.id, ANA.id, None, section, MILL.id, None, None, start, end, reason)


def facts(
    *mandates: Mandate,
    joined: tuple[Constituency, ...] = (MILL,),
    since: datetime = t(1),
    administrator: bool = False,
    member: Member | None = ANA,
    powers: tuple[CountersignPower, ...] = (),
) -> Facts:
    return Facts(
        organization_id=ORG,
        member=member,
        administrator=administrator,
        memberships=tuple(Membership(i, ANA.id, c.id, since) for i, c in enumerate(joined, 1)),
        mandates=mandates,
        councils=COUNCILS,
        constituencies={c.id: c for c in (MILL, DOCKS, CITY_SEAT)},
        section_names={10: "Workers", 11: "Soldiers"},
        countersign_powers=powers,
        unit_names={1: "1st Regiment", 2: "Depot"},
    )


def of(c: Constituency) -> Target:
    return Target(ORG, c.name, constituency=c)


def sitting(*sections: int) -> Target:
    return Target(
        ORG, "the City Council sitting of 20 April 2026", council=CITY, section_ids=sections
    )


def order(body: Council = MRC, units: tuple[int, ...] = (1,), issued: datetime = t(5)) -> Target:
    return Target(ORG, "order 4 (Stand down)", council=body, unit_ids=units, as_of=issued)


ORGANIZATION = Target(ORG, "Test Union")


# -- members: their own constituencies --------------------------------------------------------


@pytest.mark.parametrize("action", sorted(MEMBER_ACTIONS))
def test_a_member_acts_in_their_own_constituency(action: Action) -> None:
    decision = decide(facts(), action, of(MILL), t(10))
    assert decision.allowed, decision.reason
    assert decision.reason == "Ana Berg is a member of Mill"


@pytest.mark.parametrize("action", sorted(MEMBER_ACTIONS))
def test_a_member_cannot_act_in_another_constituency(action: Action) -> None:
    decision = decide(facts(), action, of(DOCKS), t(10))
    assert not decision
    assert decision.reason.startswith("Ana Berg is not a member of Docks: only its members")


def test_a_member_acts_only_from_the_moment_they_joined() -> None:
    joined = facts(since=t(10))
    assert not decide(joined, Action.VOTE_IN_ELECTION, of(MILL), t(9))
    assert decide(joined, Action.VOTE_IN_ELECTION, of(MILL), t(10))
    assert decide(joined, Action.VOTE_IN_ELECTION, of(MILL), t(9)).reason == (
        "Ana Berg joined Mill on 2026-04-10: on 2026-04-09 Ana Berg could not yet vote in "
        "elections there"
    )


def test_a_lower_councils_delegates_are_its_electors_at_the_congress() -> None:
    sitting_in_city = facts(seat(1, CITY), joined=())
    decision = decide(sitting_in_city, Action.SIGN_RECALL_PETITION, of(CITY_SEAT), t(10))
    assert decision, decision.reason
    recalled = facts(seat(1, CITY, end=t(8), reason=MandateEnd.RECALL), joined=())
    refused = decide(recalled, Action.VOTE_IN_RECALL, of(CITY_SEAT), t(10))
    assert not refused
    assert refused.reason == (
        "Ana Berg's mandate in City Council ended on 2026-04-08 (recall): Ana Berg can no "
        "longer vote in recalls in City Council (its electors are the delegates of City "
        "Council)"
    )


# -- delegates: where their mandate is in force, until the moment it ends ---------------------


@pytest.mark.parametrize("action", sorted(DELEGATE_ACTIONS))
def test_a_delegate_acts_in_the_council_of_their_mandate(action: Action) -> None:
    decision = decide(facts(seat(1, CITY)), action, sitting(), t(10))
    assert decision.allowed, decision.reason
    assert decision.reason == "Ana Berg holds a mandate in City Council"


def test_the_moment_a_mandate_ends_its_holder_cannot_act() -> None:
    recalled = facts(seat(1, CITY, end=t(14, 9), reason=MandateEnd.RECALL))
    before = datetime(2026, 4, 14, 8, 59, 59, tzinfo=UTC)
    assert decide(recalled, Action.VOTE_ON_MOTION, sitting(), before)
    refused = decide(recalled, Action.VOTE_ON_MOTION, sitting(), t(14, 9))
    assert not refused
    assert refused.reason == (
        "Ana Berg's mandate in City Council ended on 2026-04-14 (recall): Ana Berg can no "
        "longer vote on motions there"
    )


def test_a_mandate_not_begun_yet_gives_no_right() -> None:
    coming = facts(seat(1, CITY, start=t(20)))
    refused = decide(coming, Action.CHECK_IN, sitting(), t(10))
    assert refused.reason == (
        "Ana Berg's mandate in City Council begins on 2026-04-20: Ana Berg cannot yet check "
        "in there"
    )


def test_re_elected_at_the_moment_the_old_mandate_ends_the_delegate_acts_on() -> None:
    old = seat(1, CITY, end=t(10), reason=MandateEnd.TERM)
    new = seat(2, CITY, start=t(10))
    assert decide(facts(old, new), Action.VOTE_ON_MOTION, sitting(), t(10))


def test_a_member_without_a_mandate_is_no_delegate() -> None:
    refused = decide(facts(), Action.TABLE_MOTION, sitting(), t(10))
    assert (
        refused.reason
        == "Ana Berg holds no mandate in City Council: Ana Berg cannot table motions there"
    )


def test_a_sitting_of_one_section_is_for_that_sections_delegates() -> None:
    workers = facts(seat(1, CITY, section=10))
    assert decide(workers, Action.CHECK_IN, sitting(10), t(10))
    refused = decide(workers, Action.CHECK_IN, sitting(11), t(10))
    assert refused.reason == (
        "Ana Berg sits in the Workers section of City Council, not in the section of the City "
        "Council sitting of 20 April 2026 (Soldiers): Ana Berg cannot check in there"
    )


# -- officers: for the body that elected them -------------------------------------------------


@pytest.mark.parametrize("action", sorted(OFFICER_ACTIONS))
def test_the_chair_runs_the_sittings_of_the_council_that_elected_them(action: Action) -> None:
    # The chair holds the office, not a seat: the office's powers are what count.
    decision = decide(facts(seat(1, CHAIR)), action, sitting(), t(10))
    assert decision.allowed, decision.reason
    assert decision.reason == (
        "Ana Berg holds the office Chair of City Council, elected by City Council"
    )


def test_the_secretary_keeps_the_minutes_and_publishes_but_does_not_chair() -> None:
    secretary = facts(seat(1, SECRETARY))
    assert decide(secretary, Action.PRODUCE_MINUTES, sitting(), t(10))
    assert decide(secretary, Action.PUBLISH_RESULTS, sitting(), t(10))
    refused = decide(secretary, Action.OPEN_VOTE, sitting(), t(10))
    assert refused.reason == (
        "Ana Berg holds the office Secretary of City Council, without the power "
        "chair: Ana Berg cannot open votes for City Council"
    )


def test_a_recalled_chair_no_longer_chairs() -> None:
    ended = facts(seat(1, CHAIR, end=t(9), reason=MandateEnd.UNSEATED))
    refused = decide(ended, Action.OPEN_SITTING, sitting(), t(10))
    assert refused.reason == (
        "Ana Berg's mandate in Chair of City Council ended on 2026-04-09 (unseated): Ana Berg "
        "can no longer open sittings for City Council"
    )


def test_a_delegate_is_not_the_chair() -> None:
    refused = decide(facts(seat(1, CITY)), Action.CLOSE_VOTE, sitting(), t(10))
    assert refused.reason == (
        "Ana Berg holds no office of City Council with the power chair: only Chair of City "
        "Council can close votes for it"
    )


def test_without_an_office_that_chairs_no_one_chairs() -> None:
    bare = replace(facts(seat(1, CITY)), councils={CITY.id: CITY})
    refused = decide(bare, Action.GIVE_FLOOR, sitting(), t(10))
    assert refused.reason == (
        "City Council has no office or committee with the power chair: no one can give the "
        "floor for it"
    )


# -- countersignature: a committee with the power over the unit -------------------------------


GRANT = CountersignPower(1, MRC.id, 1, "garrison conference", t(3))


@pytest.mark.parametrize("action", [Action.COUNTERSIGN_ORDER, Action.REFUSE_ORDER])
def test_a_committee_member_countersigns_for_a_unit_the_committee_holds(action: Action) -> None:
    decision = decide(facts(seat(1, MRC), powers=(GRANT,)), action, order(), t(10))
    assert decision.allowed, decision.reason
    assert decision.reason == (
        "Ana Berg sits on Military Committee, which holds countersignature power over 1st Regiment"
    )


def test_the_power_counts_as_it_was_when_the_order_was_issued() -> None:
    revoked = replace(GRANT, valid_to=t(8))
    member = facts(seat(1, MRC), powers=(revoked,))
    assert decide(member, Action.COUNTERSIGN_ORDER, order(issued=t(5)), t(10))
    refused = decide(member, Action.COUNTERSIGN_ORDER, order(issued=t(9)), t(10))
    assert refused.reason == (
        "Military Committee held no countersignature power over 1st Regiment on 2026-04-09: "
        "Ana Berg cannot countersign orders for it (order 4 (Stand down))"
    )


def test_a_committee_without_the_power_does_not_countersign() -> None:
    refused = decide(facts(seat(1, EXECUTIVE)), Action.COUNTERSIGN_ORDER, order(EXECUTIVE), t(10))
    assert refused.reason == (
        "Executive does not hold the power countersign: Ana Berg cannot countersign orders for it"
    )


def test_only_the_committees_members_countersign_for_it() -> None:
    refused = decide(facts(seat(1, CITY), powers=(GRANT,)), Action.REFUSE_ORDER, order(), t(10))
    assert refused.reason == (
        "Ana Berg holds no mandate in Military Committee: Ana Berg cannot refuse orders for it "
        "(only its members refuse orders for it)"
    )


# -- the administrator sets up structure and acts for no one ----------------------------------


ADMIN = facts(member=None, administrator=True, joined=())


@pytest.mark.parametrize("action", sorted(ADMIN_ACTIONS))
def test_the_administrator_sets_up_the_structure(action: Action) -> None:
    assert decide(ADMIN, action, ORGANIZATION, t(10))
    refused = decide(facts(seat(1, CHAIR)), action, ORGANIZATION, t(10))
    assert refused.reason.startswith("Ana Berg is not an administrator of the organization")


@pytest.mark.parametrize("action", sorted(set(Action) - ADMIN_ACTIONS), ids=lambda a: str(a.value))
def test_the_administrator_flag_never_grants_a_members_action(action: Action) -> None:
    target = {
        **dict.fromkeys(MEMBER_ACTIONS, of(MILL)),
        **dict.fromkeys(DELEGATE_ACTIONS | OFFICER_ACTIONS, sitting()),
    }.get(action, order())
    refused = decide(ADMIN, action, target, t(10))
    assert not refused
    assert "an administrator sets up the organization's structure but cannot" in refused.reason
    # An administrator who is also a member acts as that member, no more.
    both = facts(administrator=True)
    assert decide(both, action, target, t(10)).allowed is (action in MEMBER_ACTIONS)


def test_another_organization_is_refused_first() -> None:
    outsider = replace(facts(seat(1, CITY)), organization_id=2)
    refused = decide(outsider, Action.VOTE_ON_MOTION, sitting(), t(10))
    assert refused.reason == (
        "Ana Berg belongs to another organization than the City Council sitting of 20 April 2026"
    )


def test_a_target_of_the_wrong_kind_is_a_programming_error() -> None:
    with pytest.raises(InvalidInput, match="the target is a constituency"):
        decide(facts(), Action.VOTE_IN_ELECTION, sitting(), t(10))


def test_an_actor_names_itself_in_the_ledger() -> None:
    assert Actor(ORG, member_id=7, account_id=3).ledger_name == "account:3"
    assert Actor(ORG, member_id=7).ledger_name == "member:7"
    assert Actor(ORG, administrator=True).ledger_name == "administrator:1"


def test_the_administrators_refusal_says_the_administrator_acts_for_no_member() -> None:
    assert decide(ADMIN, Action.VOTE_ON_MOTION, sitting(), t(10)).reason == (
        "the administrator acts for no member: an administrator sets up the organization's "
        "structure but cannot vote on motions for anyone"
    )
    nobody = facts(member=None, joined=())
    assert decide(nobody, Action.CHECK_IN, sitting(), t(10)).reason == (
        "this account acts for no member: it cannot check in"
    )
