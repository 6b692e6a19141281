"""The rules of orders, countersignature, conflicts and sanctions, as pure functions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from smolny.domain.events import Event, Recorded
from smolny.domain.federation import Power
from smolny.domain.orders import (
    Addressee,
    ConflictKind,
    Countersignature,
    CountersignPower,
    Decision,
    FactionSanction,
    FactionSanctioned,
    FactionSanctionLifted,
    FactionState,
    Order,
    OrderAddressee,
    OrderIssued,
    PowerChange,
    PowerHeld,
    SanctionKind,
    Status,
    UnitStatus,
    conflicts,
    countersigners_at,
    faction_state,
    powers_at,
    sanction_in_force,
    statuses,
    unit_status,
)
from smolny.domain.projection import MemoryRecords

T0 = datetime(1917, 10, 18, 12, tzinfo=UTC)
MRC, SECTION, SOVIET = 1, 2, 3  # council ids
GOVERNMENT, STAFF = 1, 2  # outside authority ids


def t(days: float) -> datetime:
    return T0 + timedelta(days=days)


def order(
    oid: int,
    *,
    council: int | None = None,
    authority: int | None = None,
    issued: float = 0,
    countermands: int | None = None,
    withdrawn: float | None = None,
) -> Order:
    if council is None and authority is None:
        authority = GOVERNMENT
    return Order(
        oid,
        1,
        council,
        authority,
        f"Order {oid}",
        "",
        t(issued),
        countermands,
        None if withdrawn is None else t(withdrawn),
    )


def decided(
    did: int, oid: int, council: int, decision: Decision, when: float, *units: int
) -> Countersignature:
    return Countersignature(did, oid, council, decision, units, None, t(when))


# -- validity per unit ----------------------------------------------------------------------


def test_an_order_no_body_must_countersign_is_valid() -> None:
    o = order(1)
    status = unit_status(o, OrderAddressee(1, 1, 10, ()), [], t(1))
    assert status.status is Status.VALID
    assert status.countersigners == ()


def test_an_order_awaits_every_required_body_and_is_valid_once_all_have_countersigned() -> None:
    o = order(1)
    unit = OrderAddressee(1, 1, 10, (MRC, SECTION))
    signs = [
        decided(1, 1, MRC, Decision.COUNTERSIGNED, 1, 10),
        decided(2, 1, SECTION, Decision.COUNTERSIGNED, 2, 10),
    ]
    assert unit_status(o, unit, signs, t(0.5)).status is Status.AWAITING
    halfway = unit_status(o, unit, signs, t(1.5))
    assert (halfway.status, halfway.countersigned, halfway.awaiting) == (
        Status.AWAITING,
        (MRC,),
        (SECTION,),
    )
    assert unit_status(o, unit, signs, t(2)).status is Status.VALID


def test_one_refusal_refuses_the_order_for_the_unit() -> None:
    o = order(1)
    unit = OrderAddressee(1, 1, 10, (MRC, SECTION))
    signs = [
        decided(1, 1, SECTION, Decision.COUNTERSIGNED, 1, 10),
        decided(2, 1, MRC, Decision.REFUSED, 2, 10),
    ]
    status = unit_status(o, unit, signs, t(3))
    assert (status.status, status.refused, status.countersigned) == (
        Status.REFUSED,
        (MRC,),
        (SECTION,),
    )


def test_the_issuing_body_counts_as_having_countersigned() -> None:
    o = order(1, council=MRC)
    assert unit_status(o, OrderAddressee(1, 1, 10, (MRC,)), [], t(0)).status is Status.VALID
    both = unit_status(o, OrderAddressee(2, 1, 11, (MRC, SECTION)), [], t(0))
    assert (both.status, both.countersigned, both.awaiting) == (Status.AWAITING, (MRC,), (SECTION,))


def test_withdrawal_overrides_every_other_status_from_its_moment() -> None:
    o = order(1, withdrawn=2)
    unit = OrderAddressee(1, 1, 10, (MRC,))
    refused = [decided(1, 1, MRC, Decision.REFUSED, 1, 10)]
    assert unit_status(o, unit, refused, t(1.5)).status is Status.REFUSED
    assert unit_status(o, unit, refused, t(2)).status is Status.WITHDRAWN


def test_statuses_leave_out_orders_issued_after_the_moment() -> None:
    early, late = order(1, issued=0), order(2, issued=5)
    found = statuses(
        [early, late], [OrderAddressee(1, 1, 10, ()), OrderAddressee(2, 2, 10, ())], [], t(1)
    )
    assert set(found) == {(1, 10)}


@given(
    st.lists(
        st.tuples(st.sampled_from([MRC, SECTION]), st.booleans(), st.integers(1, 20)),
        max_size=4,
        unique_by=lambda d: d[0],
    ),
    st.integers(0, 21),
)
def test_a_status_as_of_a_moment_never_depends_on_what_came_later(
    decisions: list[tuple[int, bool, int]], moment: int
) -> None:
    o = order(1)
    unit = OrderAddressee(1, 1, 10, (MRC, SECTION))
    signs = [
        decided(i, 1, body, Decision.COUNTERSIGNED if yes else Decision.REFUSED, when, 10)
        for i, (body, yes, when) in enumerate(decisions, start=1)
    ]
    known = [d for d in signs if d.decided_at <= t(moment)]
    assert unit_status(o, unit, signs, t(moment)) == unit_status(o, unit, known, t(moment))
    status = unit_status(o, unit, signs, t(moment)).status
    refused = any(d.decision is Decision.REFUSED for d in known)
    signed = {d.council_id for d in known if d.decision is Decision.COUNTERSIGNED}
    expected = (
        Status.REFUSED if refused else Status.VALID if signed == {MRC, SECTION} else Status.AWAITING
    )
    assert status is expected


# -- who holds countersignature power -------------------------------------------------------


def test_countersignature_power_counts_from_its_grant_until_its_revocation() -> None:
    grants = [
        CountersignPower(1, MRC, 10, "garrison conference", t(0), t(5), "revoked"),
        CountersignPower(2, SECTION, 11, "soldiers' section", t(2)),
    ]
    powers = {MRC: powers_at_now(MRC), SECTION: powers_at_now(SECTION)}
    assert countersigners_at(grants, [10, 11], t(-1), powers) == {10: (), 11: ()}
    assert countersigners_at(grants, [10, 11], t(0), powers) == {10: (MRC,), 11: ()}
    assert countersigners_at(grants, [10, 11], t(2), powers) == {10: (MRC,), 11: (SECTION,)}
    assert countersigners_at(grants, [10, 11], t(5), powers) == {10: (), 11: (SECTION,)}


def powers_at_now(council: int) -> tuple[PowerHeld, ...]:
    return powers_at([PowerChange(t(-10), council, (Power.COUNTERSIGN,), (), "x")], t(0))[council]


def test_a_grant_over_units_counts_only_while_the_body_holds_the_power_to_countersign() -> None:
    grants = [CountersignPower(1, MRC, 10, "garrison conference", t(0))]
    changes = [
        PowerChange(t(0), MRC, (Power.COUNTERSIGN, Power.ISSUE_ORDERS), (), "conference"),
        PowerChange(t(3), MRC, (), (Power.COUNTERSIGN,), "revoked"),
    ]
    assert countersigners_at(grants, [10], t(1), powers_at(changes, t(1))) == {10: (MRC,)}
    assert countersigners_at(grants, [10], t(3), powers_at(changes, t(3))) == {10: ()}


def test_powers_as_of_a_moment_follow_the_decisions_in_order() -> None:
    changes = [
        PowerChange(t(0), SOVIET, (Power.CONVENE, Power.ISSUE_ORDERS), (), "created with it"),
        PowerChange(t(1), SOVIET, (Power.SANCTION_FACTIONS,), (Power.CONVENE,), "decision A"),
        PowerChange(t(2), SOVIET, (Power.CONVENE,), (), "decision B"),
    ]
    assert [p.power for p in powers_at(changes, t(0.5))[SOVIET]] == [
        Power.CONVENE,
        Power.ISSUE_ORDERS,
    ]
    at_one = powers_at(changes, t(1))[SOVIET]
    assert [(p.power, p.decision) for p in at_one] == [
        (Power.ISSUE_ORDERS, "created with it"),
        (Power.SANCTION_FACTIONS, "decision A"),
    ]
    assert {p.power: p.since for p in powers_at(changes, t(9))[SOVIET]}[Power.CONVENE] == t(2)
    assert powers_at(changes, t(-1)) == {}


# -- conflicts ------------------------------------------------------------------------------


def found_for(
    orders: list[Order], units: dict[int, list[int]]
) -> dict[tuple[int, int], UnitStatus]:
    """Statuses of orders no body must countersign, addressed as `units` says."""
    pairs = [(oid, uid) for oid, uids in units.items() for uid in uids]
    addressees = [OrderAddressee(i, oid, uid, ()) for i, (oid, uid) in enumerate(pairs, start=1)]
    return statuses(orders, addressees, [], t(9))


def test_orders_of_one_issuer_never_conflict() -> None:
    orders = [order(1), order(2, issued=1)]
    assert conflicts(orders, found_for(orders, {1: [10], 2: [10]})) == []


def test_orders_of_two_issuers_for_one_unit_are_concurrent_and_a_countermand_is_direct() -> None:
    orders = [
        order(1),
        order(2, authority=STAFF, issued=1),
        order(3, council=MRC, issued=2, countermands=1),
    ]
    found = found_for(orders, {1: [10, 11], 2: [10], 3: [11]})
    assert [(c.unit_id, c.earlier_id, c.later_id, c.kind) for c in conflicts(orders, found)] == [
        (10, 1, 2, ConflictKind.CONCURRENT),
        (11, 1, 3, ConflictKind.DIRECT),
    ]


def test_an_order_not_in_force_for_the_unit_conflicts_with_nothing_there() -> None:
    orders = [
        order(1),
        order(2, council=MRC, issued=1, countermands=1),
        order(3, authority=STAFF, withdrawn=3),
    ]
    addressees = [
        OrderAddressee(1, 1, 10, (MRC,)),
        OrderAddressee(2, 2, 10, (MRC,)),
        OrderAddressee(3, 3, 10, ()),
    ]
    refused = [decided(1, 1, MRC, Decision.REFUSED, 2, 10)]
    before = statuses(orders, addressees, refused, t(1.5))
    assert {(c.earlier_id, c.later_id, c.kind) for c in conflicts(orders, before)} == {
        (1, 3, ConflictKind.CONCURRENT),
        (1, 2, ConflictKind.DIRECT),
        (3, 2, ConflictKind.CONCURRENT),
    }
    after = statuses(orders, addressees, refused, t(3))  # 1 refused, 3 withdrawn
    assert conflicts(orders, after) == []


# -- faction sanctions ----------------------------------------------------------------------


def test_the_sanction_in_force_decides_the_factions_state() -> None:
    ban = FactionSanction(1, 5, SOVIET, SanctionKind.BAN, ("no motions",), "", t(0), t(4))
    suspension = FactionSanction(2, 5, SOVIET, SanctionKind.SUSPENSION, ("no votes",), "", t(6))
    sanctions = [ban, suspension]
    assert faction_state(sanction_in_force(sanctions, t(-1))) is FactionState.ACTIVE
    assert faction_state(sanction_in_force(sanctions, t(0))) is FactionState.BANNED
    assert faction_state(sanction_in_force(sanctions, t(4))) is FactionState.ACTIVE
    assert faction_state(sanction_in_force(sanctions, t(7))) is FactionState.SUSPENDED


# -- projection -----------------------------------------------------------------------------


def test_the_projection_records_an_order_its_addressees_and_a_replaced_sanction() -> None:
    memory = MemoryRecords()

    def apply(seq: int, when: float, event: Event) -> None:
        memory.apply(Recorded(seq, t(when), "test", 1, event))

    apply(
        1,
        0,
        OrderIssued(7, 1, None, GOVERNMENT, "To the front", "", None, (Addressee(3, 10, (MRC,)),)),
    )
    apply(2, 1, FactionSanctioned(1, 5, SOVIET, SanctionKind.SUSPENSION, ("a",), "d1", None))
    apply(3, 2, FactionSanctioned(2, 5, SOVIET, SanctionKind.BAN, ("b",), "d2", 1))
    apply(4, 3, FactionSanctionLifted(2, SOVIET, "lifted by d3"))
    assert memory.get(Order, 7).issued_at == t(0)
    assert memory.get(OrderAddressee, 3) == OrderAddressee(3, 7, 10, (MRC,))
    first, second = memory.get(FactionSanction, 1), memory.get(FactionSanction, 2)
    assert (first.valid_to, first.ending) == (t(2), "replaced by a ban")
    assert (second.valid_to, second.ended_by_council_id, second.ending) == (
        t(3),
        SOVIET,
        "lifted by d3",
    )
