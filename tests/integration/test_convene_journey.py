"""Convening a sitting from "My sittings" (smolny.services.journeys.convenings and
sittings.convene_sitting in a person's name), on SQLite and PostgreSQL: the councils the
rules let a person convene, with their sections and who may chair; a day already past, or
a person without the power, is refused and nothing is recorded."""

from __future__ import annotations

from datetime import date

import pytest

from smolny.domain.errors import Forbidden, InvalidInput
from smolny.domain.rights import Actor
from smolny.services import federation, journeys, sittings
from smolny.store import sittings as store
from smolny.store.uow import UnitOfWork
from tests.builders_journeys import ACTOR, CHAIR, RECALLED, Works, build_works
from tests.conftest import at

TODAY = date(2026, 6, 1)  # the unit of work's clock


def person(works: Works, name: str) -> Actor:
    return Actor(works.organization_id, member_id=works.id(name), account_id=works.id(name))


def titles(uow: UnitOfWork, works: Works) -> list[str]:
    with uow:
        return [s.title for s in store.sittings_of(uow.repo, works.council.id)]


def test_only_an_office_with_the_power_convene_may_convene_with_sections_and_chairs(
    uow: UnitOfWork,
) -> None:
    works = build_works(uow, at("2026-04-01"))
    council = works.council.id
    north, south = (
        federation.create_section(
            uow, council_id=council, name=name, actor=ACTOR, at=at("2026-05-01")
        )
        for name in ("North", "South")
    )
    anna = person(works, CHAIR)

    [convening] = journeys.convenings(uow, anna)
    assert convening.council.id == council
    assert [s.name for s in convening.sections] == ["North", "South"]
    assert [m.name for m in convening.chairs] == [CHAIR]
    for name in ("Boris Popov", RECALLED):
        assert journeys.convenings(uow, person(works, name)) == []
    administrator = Actor(works.organization_id, administrator=True, account_id=99)
    assert journeys.convenings(uow, administrator) == []

    joint = sittings.convene_sitting(
        uow,
        council_id=council,
        title="Joint sitting",
        day=TODAY,
        section_ids=[south.id, north.id],
        chair_member_id=anna.member_id,
        actor=anna.ledger_name,
        acting=anna,
    )
    assert joint.section_ids == (north.id, south.id)
    assert joint.chair_member_id == anna.member_id
    assert [m.sitting.id for m in journeys.my_sittings(uow, anna)] == [joint.id]


def test_a_past_day_or_a_person_without_the_power_is_refused_and_nothing_is_recorded(
    uow: UnitOfWork,
) -> None:
    works = build_works(uow, at("2026-04-01"))
    anna, boris = person(works, CHAIR), person(works, "Boris Popov")

    def convene(who: Actor, title: str, day: date) -> None:
        sittings.convene_sitting(
            uow,
            council_id=works.council.id,
            title=title,
            day=day,
            actor=who.ledger_name,
            acting=who,
        )

    with pytest.raises(InvalidInput) as past:
        convene(anna, "Yesterday's sitting", date(2026, 5, 31))
    assert past.value.message == (
        "2026-05-31 has passed: a sitting is convened for today (2026-06-01) or a later day"
    )
    with pytest.raises(InvalidInput, match="title cannot be empty"):
        convene(anna, "  ", TODAY)
    with pytest.raises(Forbidden) as refused:
        convene(boris, "Boris's sitting", TODAY)
    assert refused.value.message == (
        "Boris Popov holds no office of Works Council with the power convene: only Chair can "
        "convene sittings for it"
    )
    assert titles(uow, works) == []
    # The operator records what happened: a past convocation too.
    sittings.convene_sitting(
        uow, council_id=works.council.id, title="Recorded", day=date(2026, 5, 2), actor=ACTOR
    )
    convene(anna, "Next week", date(2026, 6, 8))
    assert titles(uow, works) == ["Recorded", "Next week"]
