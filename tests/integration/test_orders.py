"""Orders, countersignature, dual power and faction sanctions, on SQLite and PostgreSQL.

The scenario is October 1917 in miniature (tests/builders_orders.py): the garrison
conference gives the Military Revolutionary Committee countersignature power over the
Volynsky and Pavlovsky regiments, not over the Don Cossacks; the Provisional Government
keeps giving orders to the whole garrison.
"""

from __future__ import annotations

import pytest

from smolny.domain.errors import AlreadyExists, InvalidInput, RuleViolation
from smolny.domain.federation import Power
from smolny.domain.orders import (
    ConflictKind,
    Decision,
    FactionState,
    Order,
    SanctionKind,
    Status,
)
from smolny.services import federation
from smolny.services import orders as services
from smolny.services.verify import verify_ledger
from smolny.store.uow import UnitOfWork
from tests.builders_orders import (
    ACTOR,
    GARRISON_CONFERENCE,
    Petrograd,
    build_petrograd,
    day,
    october,
)


def head(uow: UnitOfWork) -> tuple[int, str]:
    with uow:
        return uow.ledger.head()


def per_unit(uow: UnitOfWork, p: Petrograd, order_id: int, when: str) -> dict[str, Status]:
    """The order's status for every unit of the garrison, as of noon on a day."""
    matrix = services.orders_matrix(uow, p.organization.id, day(when))
    return {row.unit.name: matrix.status(order_id, row.unit.id) for row in matrix.rows}


def government_order(
    uow: UnitOfWork, p: Petrograd, when: str, *units: int, title: str = ""
) -> Order:
    return services.issue_order(
        uow,
        authority_id=p.government.id,
        unit_ids=list(units) or p.garrison,
        title=title or "Send the garrison regiments to the northern front",
        text="The regiments named are to entrain for the northern front.",
        actor=ACTOR,
        at=day(when),
    )


# -- two authorities over one garrison -------------------------------------------------------


def test_a_government_order_awaits_the_mrc_where_it_holds_power_and_is_valid_elsewhere(
    uow: UnitOfWork,
) -> None:
    p = october(uow, build_petrograd(uow))
    order = government_order(uow, p, "1917-10-21")
    assert per_unit(uow, p, order.id, "1917-10-21") == {
        "Volynsky Regiment": Status.AWAITING,
        "Pavlovsky Regiment": Status.AWAITING,
        "1st Don Cossack Regiment": Status.VALID,
    }
    decision = services.refuse_order(
        uow,
        order_id=order.id,
        council_id=p.committee.id,
        reason="The garrison obeys no order not countersigned by the Committee",
        actor=ACTOR,
        at=day("1917-10-22"),
    )
    assert decision.decision is Decision.REFUSED
    assert set(decision.unit_ids) == {p.volynsky.id, p.pavlovsky.id}
    assert per_unit(uow, p, order.id, "1917-10-22") == {
        "Volynsky Regiment": Status.REFUSED,
        "Pavlovsky Regiment": Status.REFUSED,
        "1st Don Cossack Regiment": Status.VALID,
    }
    # The day before the refusal is as it was.
    assert per_unit(uow, p, order.id, "1917-10-21")["Volynsky Regiment"] is Status.AWAITING
    by_unit = services.order_statuses(uow, order.id, day("1917-10-22"))
    assert {uid: s.status for uid, s in by_unit.items()} == {
        p.volynsky.id: Status.REFUSED,
        p.pavlovsky.id: Status.REFUSED,
        p.cossacks.id: Status.VALID,
    }
    assert by_unit[p.volynsky.id].refused == (p.committee.id,)
    assert services.order_statuses(uow, order.id, day("1917-10-20")) == {}
    assert verify_ledger(uow).ok


def test_the_countersignature_rule_per_unit_names_the_bodies_holding_power(
    uow: UnitOfWork,
) -> None:
    p = october(uow, build_petrograd(uow))
    before = services.orders_matrix(uow, p.organization.id, day("1917-10-17"))
    after = services.orders_matrix(uow, p.organization.id, day("1917-10-18"))
    assert {r.unit.name: [c.name for c in r.countersigners] for r in before.rows} == {
        "Volynsky Regiment": [],
        "Pavlovsky Regiment": [],
        "1st Don Cossack Regiment": [],
    }
    assert {r.unit.name: [c.name for c in r.countersigners] for r in after.rows} == {
        "Volynsky Regiment": ["Military Revolutionary Committee"],
        "Pavlovsky Regiment": ["Military Revolutionary Committee"],
        "1st Don Cossack Regiment": [],
    }
    # The garrison conference's decision also gave the committee the power to countersign.
    mrc = next(b for b in after.bodies if b.council.id == p.committee.id)
    assert {(h.power, h.decision) for h in mrc.powers} == {
        (Power.ISSUE_ORDERS, "created with it"),
        (Power.COUNTERSIGN, GARRISON_CONFERENCE),
    }
    view = services.powers_view(uow, p.committee.id, day("1917-10-18"))
    assert [u.name for u in view.countersigns_over] == ["Volynsky Regiment", "Pavlovsky Regiment"]


def test_an_order_countersigned_by_every_required_body_is_valid(uow: UnitOfWork) -> None:
    p = october(uow, build_petrograd(uow))
    services.grant_countersignature(
        uow,
        council_id=p.executive.id,
        unit_ids=[p.volynsky.id],
        decision="soldiers' section, 19 October 1917",
        actor=ACTOR,
        at=day("1917-10-19"),
    )
    order = government_order(uow, p, "1917-10-20", p.volynsky.id)
    view = services.order_view(uow, order.id, day("1917-10-20"))
    assert [line.status.status for line in view.units] == [Status.AWAITING]
    assert view.names(view.units[0].status.awaiting) == (
        "Executive Committee and Military Revolutionary Committee"
    )
    services.countersign_order(
        uow, order_id=order.id, council_id=p.committee.id, actor=ACTOR, at=day("1917-10-21")
    )
    assert per_unit(uow, p, order.id, "1917-10-21")["Volynsky Regiment"] is Status.AWAITING
    services.countersign_order(
        uow, order_id=order.id, council_id=p.executive.id, actor=ACTOR, at=day("1917-10-22")
    )
    assert per_unit(uow, p, order.id, "1917-10-22") == {
        "Volynsky Regiment": Status.VALID,
        "Pavlovsky Regiment": Status.NOT_ADDRESSED,
        "1st Don Cossack Regiment": Status.NOT_ADDRESSED,
    }
    trail = [e.text for e in services.order_view(uow, order.id, day("1917-10-22")).trail]
    assert trail == [
        "Issued by Provisional Government to Volynsky Regiment",
        "Countersignature required from Executive Committee for Volynsky Regiment",
        "Countersignature required from Military Revolutionary Committee for Volynsky Regiment",
        "Military Revolutionary Committee countersigned for Volynsky Regiment",
        "Executive Committee countersigned for Volynsky Regiment",
    ]


def test_one_refusal_among_the_required_bodies_refuses_the_order_there(uow: UnitOfWork) -> None:
    p = october(uow, build_petrograd(uow))
    services.grant_countersignature(
        uow,
        council_id=p.executive.id,
        unit_ids=[p.volynsky.id],
        decision="soldiers' section, 19 October 1917",
        actor=ACTOR,
        at=day("1917-10-19"),
    )
    order = government_order(uow, p, "1917-10-20")
    services.countersign_order(
        uow, order_id=order.id, council_id=p.executive.id, actor=ACTOR, at=day("1917-10-21")
    )
    services.refuse_order(
        uow,
        order_id=order.id,
        council_id=p.committee.id,
        reason="counter-revolutionary",
        actor=ACTOR,
        at=day("1917-10-22"),
    )
    assert per_unit(uow, p, order.id, "1917-10-22") == {
        "Volynsky Regiment": Status.REFUSED,
        "Pavlovsky Regiment": Status.REFUSED,
        "1st Don Cossack Regiment": Status.VALID,
    }


def test_an_order_issued_by_a_body_counts_as_countersigned_by_it(uow: UnitOfWork) -> None:
    p = october(uow, build_petrograd(uow))
    order = services.issue_order(
        uow,
        council_id=p.committee.id,
        unit_ids=p.garrison,
        title="Stay in barracks; obey only orders countersigned by the Committee",
        actor=ACTOR,
        at=day("1917-10-22"),
    )
    assert set(per_unit(uow, p, order.id, "1917-10-22").values()) == {Status.VALID}
    with pytest.raises(RuleViolation, match="counts as countersigned"):
        services.countersign_order(
            uow, order_id=order.id, council_id=p.committee.id, actor=ACTOR, at=day("1917-10-23")
        )


# -- rules about decisions -------------------------------------------------------------------


def test_one_decision_per_body_per_order(uow: UnitOfWork) -> None:
    p = october(uow, build_petrograd(uow))
    order = government_order(uow, p, "1917-10-21")
    services.countersign_order(
        uow, order_id=order.id, council_id=p.committee.id, actor=ACTOR, at=day("1917-10-22")
    )
    before = head(uow)
    with pytest.raises(AlreadyExists, match=r"already countersigned.*one decision per body"):
        services.refuse_order(
            uow,
            order_id=order.id,
            council_id=p.committee.id,
            reason="changed its mind",
            actor=ACTOR,
            at=day("1917-10-23"),
        )
    assert head(uow) == before


def test_a_body_without_power_over_the_units_cannot_decide_on_the_order(uow: UnitOfWork) -> None:
    p = october(uow, build_petrograd(uow))
    order = government_order(uow, p, "1917-10-21", p.cossacks.id)
    with pytest.raises(RuleViolation, match=r"held no countersignature power.*no body must"):
        services.refuse_order(
            uow,
            order_id=order.id,
            council_id=p.committee.id,
            reason="no",
            actor=ACTOR,
            at=day("1917-10-22"),
        )


def test_a_power_granted_after_an_order_was_issued_does_not_reach_back_to_it(
    uow: UnitOfWork,
) -> None:
    p = october(uow, build_petrograd(uow), grant=False)
    earlier = government_order(uow, p, "1917-10-15", title="Earlier order to the garrison")
    services.grant_countersignature(
        uow,
        council_id=p.committee.id,
        unit_ids=[p.volynsky.id, p.pavlovsky.id],
        decision=GARRISON_CONFERENCE,
        actor=ACTOR,
        at=day("1917-10-18"),
    )
    later = government_order(uow, p, "1917-10-21", title="Later order to the garrison")
    assert set(per_unit(uow, p, earlier.id, "1917-10-21").values()) == {Status.VALID}
    assert per_unit(uow, p, later.id, "1917-10-21")["Volynsky Regiment"] is Status.AWAITING
    with pytest.raises(RuleViolation, match="held no countersignature power"):
        services.refuse_order(
            uow,
            order_id=earlier.id,
            council_id=p.committee.id,
            reason="too late",
            actor=ACTOR,
            at=day("1917-10-22"),
        )


def test_a_revoked_power_frees_later_orders_but_not_earlier_ones(uow: UnitOfWork) -> None:
    p = october(uow, build_petrograd(uow))
    earlier = government_order(uow, p, "1917-10-20", p.pavlovsky.id)
    revoked = services.revoke_countersignature(
        uow,
        council_id=p.committee.id,
        unit_ids=[p.pavlovsky.id],
        decision="Pavlovsky regimental committee, 21 October 1917",
        actor=ACTOR,
        at=day("1917-10-21"),
    )
    assert [(r.unit_id, r.valid_to) for r in revoked] == [(p.pavlovsky.id, day("1917-10-21"))]
    later = government_order(uow, p, "1917-10-22", p.pavlovsky.id)
    assert per_unit(uow, p, earlier.id, "1917-10-22")["Pavlovsky Regiment"] is Status.AWAITING
    assert per_unit(uow, p, later.id, "1917-10-22")["Pavlovsky Regiment"] is Status.VALID
    with pytest.raises(RuleViolation, match="holds no countersignature power over Pavlovsky"):
        services.revoke_countersignature(
            uow,
            council_id=p.committee.id,
            unit_ids=[p.pavlovsky.id],
            decision="again",
            actor=ACTOR,
            at=day("1917-10-23"),
        )
    unit = services.unit_view(uow, p.pavlovsky.id, day("1917-10-22"))
    assert [(g.council.name, g.grant.decision, g.grant.revocation) for g in unit.grants] == [
        (
            "Military Revolutionary Committee",
            GARRISON_CONFERENCE,
            "Pavlovsky regimental committee, 21 October 1917",
        )
    ]
    assert unit.countersigners == ()


def test_revoking_the_power_to_countersign_ends_the_rule_for_new_orders(uow: UnitOfWork) -> None:
    p = october(uow, build_petrograd(uow))
    federation.grant_powers(
        uow,
        council_id=p.committee.id,
        revoked=[Power.COUNTERSIGN],
        decision="Petrograd Soviet, 24 October 1917",
        actor=ACTOR,
        at=day("1917-10-24"),
    )
    matrix = services.orders_matrix(uow, p.organization.id, day("1917-10-24"))
    assert all(row.countersigners == () for row in matrix.rows)
    order = government_order(uow, p, "1917-10-25")
    assert set(per_unit(uow, p, order.id, "1917-10-25").values()) == {Status.VALID}
    # As of the day before, the committee held it.
    assert services.powers_view(uow, p.committee.id, day("1917-10-23")).countersigns_over


def test_granting_power_twice_over_a_unit_is_refused_naming_it(uow: UnitOfWork) -> None:
    p = october(uow, build_petrograd(uow))
    with pytest.raises(AlreadyExists, match="already holds countersignature power over Volynsky"):
        services.grant_countersignature(
            uow,
            council_id=p.committee.id,
            unit_ids=[p.volynsky.id, p.cossacks.id],
            decision="again",
            actor=ACTOR,
            at=day("1917-10-19"),
        )


# -- issuing ---------------------------------------------------------------------------------


def test_a_body_without_the_power_to_issue_orders_is_refused(uow: UnitOfWork) -> None:
    p = build_petrograd(uow)
    before = head(uow)
    with pytest.raises(RuleViolation, match="Executive Committee does not hold the power issue"):
        services.issue_order(
            uow,
            council_id=p.executive.id,
            unit_ids=p.garrison,
            title="Parade",
            actor=ACTOR,
            at=day("1917-07-10"),
        )
    assert head(uow) == before


def test_an_order_has_exactly_one_issuer_and_at_least_one_unit(uow: UnitOfWork) -> None:
    p = october(uow, build_petrograd(uow))
    with pytest.raises(InvalidInput, match="one issuer"):
        services.issue_order(
            uow,
            council_id=p.committee.id,
            authority_id=p.government.id,
            unit_ids=p.garrison,
            title="Two issuers",
            actor=ACTOR,
            at=day("1917-10-20"),
        )
    with pytest.raises(InvalidInput, match="at least one unit"):
        services.issue_order(
            uow, authority_id=p.government.id, unit_ids=[], title="No one", actor=ACTOR
        )


# -- withdrawal ------------------------------------------------------------------------------


def test_a_withdrawn_order_is_withdrawn_for_every_unit_from_that_moment(uow: UnitOfWork) -> None:
    p = october(uow, build_petrograd(uow))
    order = government_order(uow, p, "1917-10-21")
    withdrawn = services.withdraw_order(
        uow, order_id=order.id, reason="the regiments refused", actor=ACTOR, at=day("1917-10-23")
    )
    assert withdrawn.withdrawn_at == day("1917-10-23")
    assert set(per_unit(uow, p, order.id, "1917-10-23").values()) == {Status.WITHDRAWN}
    assert per_unit(uow, p, order.id, "1917-10-22")["1st Don Cossack Regiment"] is Status.VALID
    with pytest.raises(RuleViolation, match="withdrawn on 1917-10-23: there is nothing to decide"):
        services.countersign_order(
            uow, order_id=order.id, council_id=p.committee.id, actor=ACTOR, at=day("1917-10-24")
        )
    with pytest.raises(RuleViolation, match="already withdrawn"):
        services.withdraw_order(uow, order_id=order.id, actor=ACTOR, at=day("1917-10-24"))
    trail = services.order_view(uow, order.id, day("1917-10-22")).trail
    assert trail[-1].text == "Withdrawn by Provisional Government: the regiments refused"
    assert trail[-1].later  # after the moment shown
    assert verify_ledger(uow).ok


# -- dual power: conflicts -------------------------------------------------------------------


def test_a_countermand_is_a_direct_conflict_while_both_orders_are_in_force(
    uow: UnitOfWork,
) -> None:
    p = october(uow, build_petrograd(uow))
    front = government_order(uow, p, "1917-10-21")
    stay = services.issue_order(
        uow,
        council_id=p.committee.id,
        unit_ids=p.garrison,
        title="No regiment leaves the capital",
        countermands_id=front.id,
        actor=ACTOR,
        at=day("1917-10-22"),
    )
    matrix = services.orders_matrix(uow, p.organization.id, day("1917-10-22"))
    found = {(c.unit.name, c.conflict.kind) for c in matrix.conflicts}
    assert found == {
        ("Volynsky Regiment", ConflictKind.DIRECT),
        ("Pavlovsky Regiment", ConflictKind.DIRECT),
        ("1st Don Cossack Regiment", ConflictKind.DIRECT),
    }
    assert all(
        (c.earlier.order.id, c.later.order.id) == (front.id, stay.id) for c in matrix.conflicts
    )
    # The committee refuses the government's order where it holds power: the conflict
    # remains only where the government's order is still valid, the Cossacks.
    services.refuse_order(
        uow,
        order_id=front.id,
        council_id=p.committee.id,
        reason="countermanded",
        actor=ACTOR,
        at=day("1917-10-23"),
    )
    later = services.orders_matrix(uow, p.organization.id, day("1917-10-23"))
    assert [(c.unit.name, c.conflict.kind) for c in later.conflicts] == [
        ("1st Don Cossack Regiment", ConflictKind.DIRECT)
    ]
    cossacks = next(r for r in later.rows if r.unit.id == p.cossacks.id)
    assert {c.order_id: c.conflict for c in cossacks.cells} == {
        front.id: ConflictKind.DIRECT,
        stay.id: ConflictKind.DIRECT,
    }
    view = services.order_view(uow, front.id, day("1917-10-23"))
    assert [line.order.id for line in view.countermanded_by] == [stay.id]
    assert len(view.conflicts) == 1


def test_orders_of_different_issuers_in_force_together_are_concurrent_conflicts(
    uow: UnitOfWork,
) -> None:
    p = october(uow, build_petrograd(uow))
    a = government_order(uow, p, "1917-10-21", p.cossacks.id, title="Patrol the bridges")
    b = services.issue_order(
        uow,
        authority_id=p.staff.id,
        unit_ids=[p.cossacks.id, p.volynsky.id],
        title="Guard the Winter Palace",
        actor=ACTOR,
        at=day("1917-10-22"),
    )
    c = government_order(uow, p, "1917-10-23", p.cossacks.id, title="Same issuer as a")
    conflicts = services.orders_matrix(uow, p.organization.id, day("1917-10-23")).conflicts
    pairs = {
        (x.unit.name, x.earlier.order.id, x.later.order.id, x.conflict.kind) for x in conflicts
    }
    assert pairs == {
        ("1st Don Cossack Regiment", a.id, b.id, ConflictKind.CONCURRENT),
        ("1st Don Cossack Regiment", b.id, c.id, ConflictKind.CONCURRENT),
    }
    services.withdraw_order(uow, order_id=b.id, actor=ACTOR, at=day("1917-10-24"))
    assert services.orders_matrix(uow, p.organization.id, day("1917-10-24")).conflicts == ()


def test_an_issuer_cannot_countermand_its_own_order(uow: UnitOfWork) -> None:
    p = october(uow, build_petrograd(uow))
    first = government_order(uow, p, "1917-10-21")
    with pytest.raises(RuleViolation, match="takes back its own order by withdrawing it"):
        services.issue_order(
            uow,
            authority_id=p.government.id,
            unit_ids=p.garrison,
            title="Never mind",
            countermands_id=first.id,
            actor=ACTOR,
            at=day("1917-10-22"),
        )
    with pytest.raises(RuleViolation, match="addresses none of these units"):
        services.issue_order(
            uow,
            authority_id=p.staff.id,
            unit_ids=[p.cossacks.id],
            title="Elsewhere",
            countermands_id=government_order(uow, p, "1917-10-22", p.volynsky.id).id,
            actor=ACTOR,
            at=day("1917-10-23"),
        )


def test_the_unit_view_lists_its_orders_and_the_authorities_over_it(uow: UnitOfWork) -> None:
    p = october(uow, build_petrograd(uow))
    order = government_order(uow, p, "1917-10-21")
    view = services.unit_view(uow, p.volynsky.id, day("1917-10-21"))
    assert view.constituency is not None
    assert view.constituency.name == "Volynsky Regiment"
    assert [c.name for c in view.countersigners] == ["Military Revolutionary Committee"]
    assert [(line.order.id, line.issuer.name, s.status) for line, s in view.orders] == [
        (order.id, "Provisional Government", Status.AWAITING)
    ]
    assert services.unit_view(uow, p.volynsky.id, day("1917-10-20")).orders == ()


# -- faction sanctions -----------------------------------------------------------------------

BAN_EFFECTS = (
    "Its delegates may not table motions",
    "Its newspaper is closed",
)


def test_a_sanction_by_a_body_without_the_power_is_refused(uow: UnitOfWork) -> None:
    p = october(uow, build_petrograd(uow))
    before = head(uow)
    with pytest.raises(RuleViolation, match="does not hold the power sanction-factions"):
        services.sanction_faction(
            uow,
            faction_id=p.factions["Mensheviks"].id,
            council_id=p.committee.id,
            kind=SanctionKind.BAN,
            effects=BAN_EFFECTS,
            actor=ACTOR,
            at=day("1917-10-26"),
        )
    assert head(uow) == before
    state = services.faction_status(uow, p.factions["Mensheviks"].id, day("1917-10-27"))
    assert state.state is FactionState.ACTIVE


def test_a_ban_and_its_lifting_as_of_different_moments(uow: UnitOfWork) -> None:
    p = build_petrograd(uow)
    bolsheviks = p.factions["Bolsheviks"].id
    ban = services.sanction_faction(
        uow,
        faction_id=bolsheviks,
        council_id=p.executive.id,
        kind=SanctionKind.BAN,
        effects=BAN_EFFECTS,
        decision="Executive Committee, 13 July 1917",
        actor=ACTOR,
        at=day("1917-07-13"),
    )
    assert ban.effects == BAN_EFFECTS
    services.lift_sanction(
        uow,
        faction_id=bolsheviks,
        council_id=p.executive.id,
        decision="Executive Committee, 4 September 1917",
        actor=ACTOR,
        at=day("1917-09-04"),
    )
    states = {
        when: services.faction_status(uow, bolsheviks, day(when)).state
        for when in ("1917-07-12", "1917-07-13", "1917-08-01", "1917-09-04")
    }
    assert states == {
        "1917-07-12": FactionState.ACTIVE,
        "1917-07-13": FactionState.BANNED,
        "1917-08-01": FactionState.BANNED,
        "1917-09-04": FactionState.ACTIVE,
    }
    banned = services.faction_status(uow, bolsheviks, day("1917-08-01"))
    assert banned.banned
    assert banned.sanction is not None
    assert banned.sanction.effects == BAN_EFFECTS
    view = services.faction_view(uow, bolsheviks, day("1917-08-01"))
    assert [(s.kind, s.valid_to, s.ending) for s in view.sanctions] == [
        (SanctionKind.BAN, day("1917-09-04"), "Executive Committee, 4 September 1917")
    ]
    # Bolshevik seats: Putilov 2 (of 2), Volynsky 1, Pavlovsky 1 -> 4 of the Soviet's 5.
    seats = {s.council.name: (s.held, s.filled, s.seats) for s in view.seats}
    assert seats == {"Petrograd Soviet": (4, 5, 5), "Executive Committee": (0, 0, 0)}
    assert [c.name for c in view.sanctioning] == ["Executive Committee"]
    with pytest.raises(RuleViolation, match="under no suspension or ban"):
        services.lift_sanction(
            uow, faction_id=bolsheviks, council_id=p.executive.id, actor=ACTOR, at=day("1917-09-05")
        )
    assert verify_ledger(uow).ok


def test_a_ban_replaces_a_suspension_and_the_same_sanction_twice_is_refused(
    uow: UnitOfWork,
) -> None:
    p = build_petrograd(uow)
    srs = p.factions["SRs"].id
    suspension = services.sanction_faction(
        uow,
        faction_id=srs,
        council_id=p.executive.id,
        kind=SanctionKind.SUSPENSION,
        effects=["Its delegates do not vote for a month"],
        actor=ACTOR,
        at=day("1917-07-10"),
    )
    with pytest.raises(AlreadyExists, match="already under a suspension since 1917-07-10"):
        services.sanction_faction(
            uow,
            faction_id=srs,
            council_id=p.executive.id,
            kind=SanctionKind.SUSPENSION,
            effects=["again"],
            actor=ACTOR,
            at=day("1917-07-11"),
        )
    services.sanction_faction(
        uow,
        faction_id=srs,
        council_id=p.executive.id,
        kind=SanctionKind.BAN,
        effects=["Expelled"],
        actor=ACTOR,
        at=day("1917-07-12"),
    )
    assert services.faction_status(uow, srs, day("1917-07-11")).state is FactionState.SUSPENDED
    assert services.faction_status(uow, srs, day("1917-07-12")).state is FactionState.BANNED
    view = services.faction_view(uow, srs, day("1917-07-12"))
    first = next(s for s in view.sanctions if s.id == suspension.id)
    assert (first.valid_to, first.ending) == (day("1917-07-12"), "replaced by a ban")
    with pytest.raises(InvalidInput, match="effects"):
        services.sanction_faction(
            uow,
            faction_id=srs,
            council_id=p.executive.id,
            kind=SanctionKind.SUSPENSION,
            effects=[],
            actor=ACTOR,
            at=day("1917-07-13"),
        )
    assert verify_ledger(uow).ok


def test_faction_status_works_inside_another_services_unit_of_work(uow: UnitOfWork) -> None:
    p = build_petrograd(uow)
    with uow:
        status = services.faction_status(uow, p.factions["SRs"].id, day("1917-07-10"))
        assert status.state is FactionState.ACTIVE
        assert uow.connection is not None  # still open: the caller's transaction


def test_outside_authorities_hold_no_countersignature_power(uow: UnitOfWork) -> None:
    p = build_petrograd(uow)
    with pytest.raises(RuleViolation, match="outside authority, not a body of the federation"):
        services.find_body(uow, "Provisional Government")
    assert services.find_issuer(uow, "Provisional Government").authority_id == p.government.id
    with pytest.raises(AlreadyExists, match="is a body of"):
        services.create_authority(
            uow, organization_id=p.organization.id, name="Petrograd Soviet", actor=ACTOR
        )


def test_the_whole_october_scenario_verifies(uow: UnitOfWork) -> None:
    p = october(uow, build_petrograd(uow))
    front = government_order(uow, p, "1917-10-21")
    services.refuse_order(
        uow,
        order_id=front.id,
        council_id=p.committee.id,
        reason="counter-revolutionary",
        actor=ACTOR,
        at=day("1917-10-22"),
    )
    services.issue_order(
        uow,
        council_id=p.committee.id,
        unit_ids=p.garrison,
        title="No regiment leaves the capital",
        countermands_id=front.id,
        actor=ACTOR,
        at=day("1917-10-23"),
    )
    services.withdraw_order(uow, order_id=front.id, actor=ACTOR, at=day("1917-10-26"))
    services.sanction_faction(
        uow,
        faction_id=p.factions["Mensheviks"].id,
        council_id=p.executive.id,
        kind=SanctionKind.SUSPENSION,
        effects=["Walked out of the congress"],
        actor=ACTOR,
        at=day("1917-10-26"),
    )
    result = verify_ledger(uow)
    assert result.ok, result.problem
