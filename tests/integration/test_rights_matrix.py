"""Every role against every action, on a federation built through the services: who may do
what is derived from the record (memberships, mandates, offices, committees' powers), on
SQLite and PostgreSQL; and the services refuse a person what the rules refuse them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from smolny.domain.elections import ElectionMethod, ListTally
from smolny.domain.errors import Forbidden
from smolny.domain.federation import CouncilKind, Member, Power
from smolny.domain.mandates import Mandate
from smolny.domain.orders import Order
from smolny.domain.rights import Action, Actor, Target, decide
from smolny.domain.sittings import Choice, Sitting, VoteMode
from smolny.services import elections, federation, orders, petitions, sittings
from smolny.services.rights import (
    check,
    constituency_target,
    load_facts,
    order_target,
    organization_target,
    rights_of,
    sitting_target,
)
from smolny.store.uow import UnitOfWork
from tests.builders import ACTOR, City, build_city, elect_city
from tests.conftest import at

# Rows: a role; columns: every action in the order of `Action`; Y allowed, . refused.
# members: vote in an election, sign a recall petition, vote in a recall (in the Factory)
# delegates: check in, ask to speak, table a motion, vote on a motion (in the City Council)
# officers: convene, open, close, run the agenda, give the floor, open a vote, close a vote,
#           publish results, produce minutes (for the City Council)
# orders: countersign, refuse (an order to the 1st Regiment); admin: councils, import, seats
EXPECTED = """
role                      members  delegates  officers   orders  admin
member                    YYY      ....       .........  ..      ...
member elsewhere          ...      ....       .........  ..      ...
delegate                  YYY      YYYY       .........  ..      ...
recalled delegate         YYY      ....       .........  ..      ...
chair                     YYY      YYYY       YYYYYYYYY  ..      ...
secretary                 YYY      YYYY       .......YY  ..      ...
countersigning committee  ...      YYYY       .........  YY      ...
committee without power   ...      YYYY       .........  ..      ...
administrator             ...      ....       .........  ..      YYY
outsider                  ...      ....       .........  ..      ...
"""

ACTIONS = list(Action)
MEMBER, ELSEWHERE, DELEGATE, RECALLED = (
    "member",
    "member elsewhere",
    "delegate",
    "recalled delegate",
)
CHAIR, SECRETARY = "chair", "secretary"
SIGNER, NO_POWER, ADMIN, OUTSIDER = (
    "countersigning committee",
    "committee without power",
    "administrator",
    "outsider",
)
WHEN = at("2026-03-20")


def expected() -> dict[str, list[bool]]:
    table: dict[str, list[bool]] = {}
    for line in EXPECTED.strip().splitlines()[1:]:
        role, _, marks = line.partition("  ")
        cells = marks.replace(" ", "")
        assert len(cells) == len(ACTIONS), f"{role}: {len(cells)} cells for {len(ACTIONS)}"
        table[role.strip()] = [c == "Y" for c in cells]
    return table


@dataclass
class World:
    city: City
    actors: dict[str, Actor]
    members: dict[str, Member]
    sitting: Sitting
    order: Order
    military: int  # the committee with countersignature power
    executive: int  # a committee without it

    def targets(self, uow: UnitOfWork) -> dict[Action, Target]:
        places = dict.fromkeys(
            (Action.VOTE_IN_ELECTION, Action.SIGN_RECALL_PETITION, Action.VOTE_IN_RECALL),
            constituency_target(uow, self.city.factory.id),
        )
        orders_ = dict.fromkeys(
            (Action.COUNTERSIGN_ORDER, Action.REFUSE_ORDER),
            order_target(uow, self.order, self.military),
        )
        admin = dict.fromkeys(
            (Action.CREATE_COUNCIL, Action.IMPORT_MEMBERS, Action.APPORTION_SEATS),
            organization_target(uow, self.city.organization.id),
        )
        chamber = sitting_target(uow, self.sitting)
        return {a: {**places, **orders_, **admin}.get(a, chamber) for a in ACTIONS}


def named(city: City, place: str, n: int) -> Member:
    return city.members[place][n - 1]


def elect_body(
    uow: UnitOfWork,
    city: City,
    name: str,
    kind: CouncilKind,
    powers: list[Power],
    who: list[Member],
    day: str,
) -> int:
    """Create a body of the City Council in the morning and elect it at noon."""
    body = federation.create_council(
        uow,
        organization_id=city.organization.id,
        name=name,
        kind=kind,
        parent_id=city.council.id,
        powers=powers,
        actor=ACTOR,
        at=at(day, 10),
    )
    # One list per candidate, in falling votes (3, 2): D'Hondt seats them all, in order.
    lists = [ListTally(m.faction_id, (m.id,), 3 - i) for i, m in enumerate(who) if m.faction_id]
    elections.elect_committee(
        uow,
        committee_id=body.id,
        seats=len(who),
        lists=lists,
        method=ElectionMethod.DHONDT,
        actor=ACTOR,
        at=at(day),
    )
    return body.id


def build_world(uow: UnitOfWork) -> World:
    """The test city after its February elections (tests/builders.py), with a chair and a
    secretary (offices), a military committee holding countersignature power over the 1st
    Regiment, an executive without it, an order from the staff awaiting countersignature,
    a delegate recalled on 10 March, and a sitting convened for 20 March."""
    city = build_city(uow)
    elect_city(uow, city)
    m = {
        MEMBER: named(city, "Factory", 10),
        ELSEWHERE: named(city, "Regiment", 2),
        DELEGATE: named(city, "Factory", 2),
        RECALLED: named(city, "Factory", 3),
        CHAIR: named(city, "Factory", 1),
        SECRETARY: named(city, "Factory", 4),
        SIGNER: named(city, "Regiment", 1),
        NO_POWER: named(city, "Regiment", 5),
    }
    elect_body(
        uow,
        city,
        "Chair",
        CouncilKind.OFFICE,
        [Power.CHAIR, Power.CONVENE],
        [m[CHAIR]],
        "2026-02-10",
    )
    elect_body(
        uow,
        city,
        "Secretary",
        CouncilKind.OFFICE,
        [Power.KEEP_MINUTES],
        [m[SECRETARY]],
        "2026-02-11",
    )
    military = elect_body(
        uow,
        city,
        "Military Committee",
        CouncilKind.COMMITTEE,
        [],
        [m[SIGNER], named(city, "Regiment", 3)],
        "2026-02-12",
    )
    executive = elect_body(
        uow,
        city,
        "Executive",
        CouncilKind.COMMITTEE,
        [Power.ACT_BETWEEN_SITTINGS],
        [m[NO_POWER]],
        "2026-02-13",
    )
    regiment = orders.create_unit(
        uow,
        organization_id=city.organization.id,
        name="1st Regiment",
        constituency_id=city.regiment.id,
        actor=ACTOR,
        at=at("2026-02-20"),
    )
    orders.grant_countersignature(
        uow,
        council_id=military,
        unit_ids=[regiment.id],
        decision="garrison conference, 20 February",
        actor=ACTOR,
        at=at("2026-02-20"),
    )
    staff = orders.create_authority(
        uow, organization_id=city.organization.id, name="Staff", actor=ACTOR, at=at("2026-02-25")
    )
    order = orders.issue_order(
        uow,
        authority_id=staff.id,
        unit_ids=[regiment.id],
        title="March to the front",
        actor=ACTOR,
        at=at("2026-03-01"),
    )
    seat = next(s for s in mandates_in(uow, city.council.id) if s.member_id == m[RECALLED].id)
    elections.recall_delegate(
        uow, mandate_id=seat.id, votes_for=8, votes_against=1, actor=ACTOR, at=at("2026-03-10")
    )
    other = federation.create_organization(
        uow, name="Other Union", actor=ACTOR, at=at("2026-03-11")
    )
    outsider = federation.enroll_member(
        uow, organization_id=other.id, name="Outsider", actor=ACTOR, at=at("2026-03-11")
    )
    sitting = sittings.convene_sitting(
        uow,
        council_id=city.council.id,
        title="Ordinary sitting",
        day=date(2026, 3, 20),
        actor=ACTOR,
        at=at("2026-03-15"),
    )
    org = city.organization.id
    actors = {
        role: Actor(org, member_id=member.id, account_id=i)
        for i, (role, member) in enumerate(m.items(), 1)
    }
    actors[ADMIN] = Actor(org, administrator=True, account_id=90)
    actors[OUTSIDER] = Actor(other.id, member_id=outsider.id, account_id=91)
    return World(city, actors, {**m, OUTSIDER: outsider}, sitting, order, military, executive)


def mandates_in(uow: UnitOfWork, council_id: int) -> list[Mandate]:
    with uow:
        return uow.repo.mandates_at(at("2026-03-01"), council_id=council_id)


GROUPS = (3, 4, 9, 2, 3)  # the column groups of EXPECTED


def render(table: dict[str, list[bool]]) -> str:
    """A table in the layout of EXPECTED, each group of marks under its heading."""
    head = EXPECTED.strip().splitlines()[0]
    starts = [head.index(label) for label in head.split()[1:]]
    lines = [head]
    for role, row in table.items():
        line, i = role, 0
        for start, n in zip(starts, GROUPS, strict=True):
            line = line.ljust(start) + "".join("Y" if a else "." for a in row[i : i + n])
            i += n
        lines.append(line)
    return "\n".join(lines)


def test_every_role_against_every_action(uow: UnitOfWork) -> None:
    world = build_world(uow)
    targets = world.targets(uow)
    want = expected()
    got: dict[str, list[bool]] = {}
    reasons: dict[tuple[str, Action], str] = {}
    for role, actor in world.actors.items():
        facts = load_facts(uow, actor, WHEN)
        row = []
        for action in ACTIONS:
            decision = decide(facts, action, targets[action], WHEN)
            row.append(decision.allowed)
            reasons[(role, action)] = decision.reason
            # The services' check agrees: Forbidden, with the same reason, when refused.
            if decision.allowed:
                check(uow, actor, action, targets[action], WHEN)
            else:
                with pytest.raises(Forbidden) as caught:
                    check(uow, actor, action, targets[action], WHEN)
                assert caught.value.message == decision.reason
        got[role] = row
    wrong = [
        f"  {role} / {action.value}: expected {'allowed' if want[role][i] else 'refused'}, "
        f"got {'allowed' if got[role][i] else 'refused'} ({reasons[(role, action)]})"
        for role in want
        for i, action in enumerate(ACTIONS)
        if want[role][i] != got[role][i]
    ]
    assert not wrong, (
        "the rights differ from the table:\n"
        + "\n".join(wrong)
        + "\n\nexpected:\n"
        + render(want)
        + "\n\ngot:\n"
        + render(got)
    )
    # Every refusal says why, naming the person (or the administrator).
    for (role, action), reason in reasons.items():
        assert reason, (role, action)
    assert reasons[(RECALLED, Action.VOTE_ON_MOTION)] == (
        "Factory member 3's mandate in City Council ended on 2026-03-10 (recall): Factory "
        "member 3 can no longer vote on motions there"
    )
    assert reasons[(OUTSIDER, Action.VOTE_IN_ELECTION)] == (
        "Outsider belongs to another organization than Factory"
    )


def on(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, 20, hour, minute, tzinfo=UTC)


def refused(uow: UnitOfWork, reason: str, call: Callable[[], object]) -> None:
    """The call is Forbidden with this reason, and leaves the ledger as it was."""
    with uow:
        before = uow.ledger.head()
    with pytest.raises(Forbidden) as caught:
        call()
    assert caught.value.message == reason
    assert caught.value.code == "forbidden"
    with uow:
        assert uow.ledger.head() == before


def test_the_services_check_a_person_and_not_the_operator(uow: UnitOfWork) -> None:
    w = build_world(uow)
    a, m = w.actors, w.members
    sid = w.sitting.id
    refused(
        uow,
        "Factory member 4 holds the office Secretary, without the power chair: Factory member "
        "4 cannot open sittings for City Council",
        lambda: sittings.open_sitting(
            uow, sitting_id=sid, actor="account:6", at=on(9), acting=a[SECRETARY]
        ),
    )
    sittings.open_sitting(
        uow, sitting_id=sid, actor=a[CHAIR].ledger_name, at=on(10), acting=a[CHAIR]
    )
    can = [r.text for r in rights_of(uow, a[DELEGATE], on(10, 5))]
    assert "check in to the City Council sitting of 20 March 2026" in can
    assert "vote in Factory's elections and by-elections" in can
    # A delegate checks in themselves, not others; a recalled delegate cannot.
    sittings.check_in(
        uow,
        sitting_id=sid,
        member_ids=[m[DELEGATE].id],
        actor="account:3",
        at=on(10, 10),
        acting=a[DELEGATE],
    )
    refused(
        uow,
        "Factory member 2 cannot check in for Factory member 1: each person acts for themselves",
        lambda: sittings.check_in(
            uow,
            sitting_id=sid,
            member_ids=[m[CHAIR].id],
            actor="account:3",
            at=on(10, 11),
            acting=a[DELEGATE],
        ),
    )
    refused(
        uow,
        "Factory member 3's mandate in City Council ended on 2026-03-10 (recall): Factory "
        "member 3 can no longer check in there",
        lambda: sittings.check_in(
            uow,
            sitting_id=sid,
            member_ids=[m[RECALLED].id],
            actor="account:4",
            at=on(10, 11),
            acting=a[RECALLED],
        ),
    )
    refused(
        uow,
        "an administrator cannot check in whole factions or everyone: each person acts for "
        "themselves",
        lambda: sittings.check_in(
            uow,
            sitting_id=sid,
            everyone=True,
            actor="account:90",
            at=on(10, 11),
            acting=a[ADMIN],
        ),
    )
    # The operator (no acting person) records as before.
    sittings.check_in(uow, sitting_id=sid, everyone=True, actor=ACTOR, at=on(10, 15))
    sittings.add_agenda_item(
        uow, sitting_id=sid, title="The war", actor="account:5", at=on(10, 20), acting=a[CHAIR]
    )
    sittings.take_up_item(uow, sitting_id=sid, actor="account:5", at=on(10, 21), acting=a[CHAIR])
    motion = sittings.table_motion(
        uow,
        sitting_id=sid,
        title="Peace",
        text="Peace now.",
        by_member_id=m[DELEGATE].id,
        actor="account:3",
        at=on(10, 30),
        acting=a[DELEGATE],
    )
    vote = sittings.open_vote(
        uow,
        motion_id=motion.id,
        mode=VoteMode.ROLL_CALL,
        actor="account:5",
        at=on(10, 40),
        acting=a[CHAIR],
    )
    assert f"vote in the roll-call vote {vote.id} in the City Council sitting of 20 March 2026" in [
        r.text for r in rights_of(uow, a[DELEGATE], on(10, 41))
    ]
    ballot = sittings.cast_vote(
        uow,
        vote_id=vote.id,
        member_id=m[DELEGATE].id,
        choice=Choice.FOR,
        actor="account:3",
        at=on(10, 42),
        acting=a[DELEGATE],
    )
    assert ballot.voted == 1
    refused(
        uow,
        "an administrator cannot vote on motions for Factory member 1: an administrator sets "
        "up the organization's structure but acts for no one",
        lambda: sittings.cast_vote(
            uow,
            vote_id=vote.id,
            member_id=m[CHAIR].id,
            choice=Choice.AGAINST,
            actor="account:90",
            at=on(10, 43),
            acting=a[ADMIN],
        ),
    )
    chair_can = {r.action for r in rights_of(uow, a[CHAIR], on(10, 44))}
    assert {Action.CLOSE_VOTE, Action.VOTE_ON_MOTION, Action.CLOSE_SITTING} <= chair_can
    assert Action.OPEN_VOTE not in chair_can  # one vote at a time: this one is open
    sittings.close_vote(uow, vote_id=vote.id, actor="account:5", at=on(10, 50), acting=a[CHAIR])
    # Countersignature: the military committee's member, not the executive's.
    refused(
        uow,
        "Executive does not hold the power countersign: Regiment member 5 cannot refuse "
        "orders for it",
        lambda: orders.refuse_order(
            uow,
            order_id=w.order.id,
            council_id=w.executive,
            reason="no",
            actor="account:8",
            at=on(11),
            acting=a[NO_POWER],
        ),
    )
    assert [r.text for r in rights_of(uow, a[SIGNER], on(11)) if r.order_id] == [
        "countersign order 1 (March to the front) for Military Committee",
        "refuse order 1 (March to the front) for Military Committee",
    ]
    orders.countersign_order(
        uow,
        order_id=w.order.id,
        council_id=w.military,
        actor="account:7",
        at=on(11, 5),
        acting=a[SIGNER],
    )
    # Structure is the administrator's; a petition is the constituency's members'.
    refused(
        uow,
        "Factory member 1 is not an administrator of the organization: only an administrator "
        "can create councils",
        lambda: federation.create_council(
            uow,
            organization_id=w.city.organization.id,
            name="Presidium",
            actor="account:5",
            at=on(12),
            acting=a[CHAIR],
        ),
    )
    federation.create_council(
        uow,
        organization_id=w.city.organization.id,
        name="Presidium",
        actor="account:90",
        at=on(12),
        acting=a[ADMIN],
    )
    seat = next(s for s in mandates_in(uow, w.city.council.id) if s.member_id == m[DELEGATE].id)
    petition = petitions.open_petition(
        uow,
        mandate_id=seat.id,
        opened_by=m[MEMBER].id,
        actor="account:1",
        at=on(13),
        acting=a[MEMBER],
    )
    refused(
        uow,
        "Regiment member 2 is not a member of Factory: only its members sign recall petitions "
        "there",
        lambda: petitions.sign_petition(
            uow,
            petition_id=petition.id,
            member_id=m[ELSEWHERE].id,
            actor="account:2",
            at=on(13, 5),
            acting=a[ELSEWHERE],
        ),
    )
    assert "sign the petition to recall Factory member 2 (Factory)" in [
        r.text for r in rights_of(uow, a[CHAIR], on(13, 10))
    ]
    assert "sign the petition to recall Factory member 2 (Factory)" not in [
        r.text
        for r in rights_of(uow, a[MEMBER], on(13, 10))  # the opener signed it
    ]
    # The administrator can set the structure up, and nothing else; an outsider, nothing.
    assert [r.action for r in rights_of(uow, a[ADMIN], on(14))] == [
        Action.CREATE_COUNCIL,
        Action.IMPORT_MEMBERS,
        Action.APPORTION_SEATS,
    ]
    assert rights_of(uow, a[OUTSIDER], on(14)) == []


def test_the_documented_table_is_the_tested_one() -> None:
    """docs/rights.md shows the matrix (actions down, roles across) that this test checks."""
    text = (Path(__file__).parents[2] / "docs" / "rights.md").read_text()
    rows = [line for line in text.splitlines() if line.startswith("| ") and "(`" in line]
    head = next(line for line in text.splitlines() if line.startswith("| Action |"))
    roles = [cell.strip() for cell in head.strip("|").split("|")[1:]]
    documented: dict[str, list[bool]] = {role: [] for role in roles}
    actions = []
    for row in rows:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        actions.append(Action(cells[0].rsplit("(`", 1)[1].rstrip("`)")))
        for role, cell in zip(roles, cells[1:], strict=True):
            documented[role].append(cell == "✓")
    assert actions == ACTIONS
    assert documented == expected()
