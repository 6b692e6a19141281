"""Many members enrolled as one event, and electors reported by a constituency's body."""

from __future__ import annotations

import pytest

from smolny.domain.errors import AlreadyExists, InvalidInput, RuleViolation
from smolny.domain.seat_rules import RatioRule
from smolny.services import elections, federation
from smolny.services.federation import NewMember
from smolny.store.uow import UnitOfWork
from tests.conftest import at

WHEN = at("2026-01-10")


def setup(uow: UnitOfWork) -> tuple[int, int, int, int, int]:
    org = federation.create_organization(uow, name="Mill Union", actor="t", at=WHEN)
    other = federation.create_organization(uow, name="Other Union", actor="t", at=WHEN)
    reds = federation.create_faction(uow, organization_id=org.id, name="Reds", actor="t", at=WHEN)
    stranger = federation.create_faction(
        uow, organization_id=other.id, name="Greens", actor="t", at=WHEN
    )
    council = federation.create_council(
        uow, organization_id=org.id, name="Mill Council", actor="t", at=WHEN
    )
    mill = federation.create_constituency(
        uow, council_id=council.id, name="Mill", actor="t", at=WHEN
    )
    return org.id, reds.id, stranger.id, mill.id, council.id


def head(uow: UnitOfWork) -> int:
    with uow:
        return uow.ledger.head()[0]


def test_members_are_enrolled_in_one_event_with_free_numbers(uow: UnitOfWork) -> None:
    org, reds, _, mill, _ = setup(uow)
    federation.enroll_member(uow, organization_id=org, name="Early", number="2", actor="t", at=WHEN)
    before = head(uow)
    enrolled = federation.enroll_members(
        uow,
        organization_id=org,
        members=[NewMember("Ann", reds), NewMember("Bob", None, "A-7"), NewMember("Cy", reds)],
        constituency_id=mill,
        actor="t",
        at=WHEN,
    )
    assert head(uow) == before + 1
    assert [(m.name, m.faction_id) for m in enrolled] == [
        ("Ann", reds),
        ("Bob", None),
        ("Cy", reds),
    ]
    # Ann has id 2, whose number Early took: she gets "2-1"; Cy has id 4.
    assert [m.number for m in enrolled] == ["2-1", "A-7", "4"]
    with uow:
        assert uow.repo.electorates([mill]) == {mill: 3}


@pytest.mark.parametrize(
    ("rows", "error", "message"),
    [
        (
            [NewMember("Ann"), NewMember(" ")],
            InvalidInput,
            r"member 2 \(' '\): a member needs a name",
        ),
        ([NewMember("Ann", None, "9"), NewMember("Bob", None, "9")], AlreadyExists, "member 2:"),
        ([NewMember("Ann", None, "1")], AlreadyExists, "membership number '1' is taken"),
        ([NewMember("Ann", -1)], Exception, "faction"),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_enrolled(
    uow: UnitOfWork, rows: list[NewMember], error: type[Exception], message: str
) -> None:
    org, _, _, mill, _ = setup(uow)
    federation.enroll_member(uow, organization_id=org, name="First", number="1", actor="t", at=WHEN)
    before = head(uow)
    with pytest.raises(error, match=message):
        federation.enroll_members(
            uow, organization_id=org, members=rows, constituency_id=mill, actor="t", at=WHEN
        )
    assert head(uow) == before


def test_a_faction_of_another_organization_is_refused(uow: UnitOfWork) -> None:
    org, _, stranger, mill, _ = setup(uow)
    with pytest.raises(RuleViolation, match=r"member 1 \('Ann'\): faction .* another organization"):
        federation.enroll_members(
            uow,
            organization_id=org,
            members=[NewMember("Ann", stranger)],
            constituency_id=mill,
            actor="t",
            at=WHEN,
        )


def test_reported_electors_count_instead_of_members_until_withdrawn(uow: UnitOfWork) -> None:
    org, reds, _, mill, council_id = setup(uow)
    federation.enroll_members(
        uow,
        organization_id=org,
        members=[NewMember("Ann", reds)],
        constituency_id=mill,
        actor="t",
        at=WHEN,
    )
    federation.report_electors(uow, constituency_id=mill, electors=2500, actor="t", at=WHEN)
    grants = elections.apportion_seats(
        uow, council_id=council_id, rule=RatioRule(per=1000), actor="t", at=WHEN
    )
    assert [g.seats for g in grants] == [2]  # 2,500 electors at one per 1,000
    federation.report_electors(uow, constituency_id=mill, electors=None, actor="t", at=WHEN)
    with uow:
        assert uow.repo.electorates([mill]) == {mill: 1}
    with pytest.raises(InvalidInput, match="at least 0"):
        federation.report_electors(uow, constituency_id=mill, electors=-5, actor="t", at=WHEN)
