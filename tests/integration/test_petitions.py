"""Recall petitions against a real database, on SQLite and PostgreSQL: signatures up to
the constituency's threshold, the recall vote, the by-election."""

from __future__ import annotations

from fractions import Fraction

import pytest
from sqlalchemy import Engine, insert
from sqlalchemy.exc import IntegrityError

from smolny.domain.congress import PetitionStatus
from smolny.domain.elections import CandidateTally
from smolny.domain.errors import AlreadyExists, NotFound, RuleViolation
from smolny.domain.mandates import Mandate, MandateEnd
from smolny.services import elections, petitions
from smolny.services.composition import council_composition
from smolny.services.verify import verify_ledger
from smolny.store.congress import recall_petition_signatures
from smolny.store.uow import UnitOfWork
from tests.builders import ACTOR, City, build_city, elect_city
from tests.conftest import at


def factory_delegate(uow: UnitOfWork, city: City) -> int:
    """The mandate of the factory's first delegate (a Left member), in February."""
    with uow:
        return uow.repo.mandates_at(at("2026-02-10"), constituency_id=city.factory.id)[0].id


def test_a_petition_reaching_its_threshold_goes_to_a_recall_vote_and_a_by_election(
    uow: UnitOfWork,
) -> None:
    city = build_city(uow)
    elect_city(uow, city)
    mandate_id = factory_delegate(uow, city)
    workers = city.members["Factory"]
    # The factory's petition share is 1/5 of its 10 members: two signatures are needed.
    petition = petitions.open_petition(
        uow,
        mandate_id=mandate_id,
        opened_by=workers[8].id,
        reason="signed the rota deal without a vote",
        actor=ACTOR,
        at=at("2026-03-01"),
    )
    assert (petition.electorate, petition.threshold, petition.signatures) == (10, 2, 1)
    assert petition.reached_at is None
    petition = petitions.sign_petition(
        uow, petition_id=petition.id, member_id=workers[9].id, actor=ACTOR, at=at("2026-03-02")
    )
    assert petition.signatures == 2
    assert petition.reached_at == at("2026-03-02")
    view = petitions.petition_view(uow, petition.id, at("2026-03-01", 18))
    assert (view.signatures, view.status) == (1, PetitionStatus.OPEN)
    assert view.who_signs == "the members of Factory"
    assert petitions.petition_view(uow, petition.id, at("2026-03-03")).status is (
        PetitionStatus.REACHED
    )

    vote = petitions.hold_recall_vote(
        uow,
        petition_id=petition.id,
        votes_for=6,
        votes_against=3,
        abstentions=1,
        actor=ACTOR,
        at=at("2026-03-10"),
    )
    assert vote.carried  # 6 of 10 members: a majority of its members
    assert vote.rule == "a majority of its members"
    with uow:
        assert uow.repo.get(Mandate, mandate_id).end_reason is MandateEnd.RECALL
    composition = council_composition(uow, city.council.id, at("2026-03-11"))
    assert mandate_id not in {d.mandate.id for d in composition.delegates}
    assert composition.vacant == 1
    with pytest.raises(AlreadyExists, match="went to a vote on 2026-03-10"):
        petitions.hold_recall_vote(
            uow, petition_id=petition.id, votes_for=6, votes_against=0, actor=ACTOR
        )
    with pytest.raises(RuleViolation, match="takes no more signatures"):
        petitions.sign_petition(uow, petition_id=petition.id, member_id=workers[7].id, actor=ACTOR)

    by_election = elections.hold_by_election(
        uow,
        constituency_id=city.factory.id,
        candidates=[CandidateTally(workers[8].id, 7), CandidateTally(workers[5].id, 2)],
        actor=ACTOR,
        at=at("2026-03-20"),
    )
    after = petitions.petition_view(uow, petition.id, at("2026-03-21"))
    assert after.status is PetitionStatus.RECALLED
    assert after.vote == vote
    assert after.by_election == by_election
    assert council_composition(uow, city.council.id, at("2026-03-21")).vacant == 0
    document = petitions.petition_document(after)
    assert document["vote"]["for"] == 6
    assert document["signatures"] == 2
    assert [s["name"] for s in document["signers"]] == ["Factory member 9", "Factory member 10"]
    assert verify_ledger(uow).ok


def test_a_petition_short_of_its_threshold_cannot_go_to_a_vote(uow: UnitOfWork) -> None:
    city = build_city(uow)
    elect_city(uow, city)
    petition = petitions.open_petition(
        uow,
        mandate_id=factory_delegate(uow, city),
        opened_by=city.members["Factory"][9].id,
        actor=ACTOR,
        at=at("2026-03-01"),
    )
    with pytest.raises(RuleViolation, match="has 1 of the 2 signatures it needs \\(1/5 of 10\\)"):
        petitions.hold_recall_vote(
            uow, petition_id=petition.id, votes_for=9, votes_against=0, actor=ACTOR
        )
    with uow:
        assert uow.repo.recalls_in(city.council.id) == []


def test_only_members_of_the_constituency_sign_and_each_only_once(
    uow: UnitOfWork, engine: Engine
) -> None:
    city = build_city(uow)
    elect_city(uow, city)
    mandate_id = factory_delegate(uow, city)
    soldier = city.members["Regiment"][0]
    with pytest.raises(RuleViolation, match="Regiment member 1 is not a member of Factory"):
        petitions.open_petition(uow, mandate_id=mandate_id, opened_by=soldier.id, actor=ACTOR)
    opener = city.members["Factory"][9]
    petition = petitions.open_petition(
        uow, mandate_id=mandate_id, opened_by=opener.id, actor=ACTOR, at=at("2026-03-01")
    )
    with pytest.raises(RuleViolation, match="only its members sign"):
        petitions.sign_petition(uow, petition_id=petition.id, member_id=soldier.id, actor=ACTOR)
    with pytest.raises(AlreadyExists, match="Factory member 10 already signed"):
        petitions.sign_petition(uow, petition_id=petition.id, member_id=opener.id, actor=ACTOR)
    with pytest.raises(AlreadyExists, match="already open"):
        petitions.open_petition(
            uow, mandate_id=mandate_id, opened_by=city.members["Factory"][8].id, actor=ACTOR
        )
    # One signature each is also the database's rule, whatever the code does.
    with engine.begin() as connection, pytest.raises(IntegrityError):
        connection.execute(
            insert(recall_petition_signatures).values(
                id=99, petition_id=petition.id, member_id=opener.id, signed_at=at("2026-03-02")
            )
        )
    assert petitions.petition_view(uow, petition.id).signatures == 1
    assert verify_ledger(uow).ok


def test_a_petition_lapses_when_the_delegate_resigns(uow: UnitOfWork) -> None:
    city = build_city(uow)
    elect_city(uow, city)
    mandate_id = factory_delegate(uow, city)
    petition = petitions.open_petition(
        uow,
        mandate_id=mandate_id,
        opened_by=city.members["Factory"][9].id,
        actor=ACTOR,
        at=at("2026-03-01"),
    )
    elections.resign_mandate(uow, mandate_id=mandate_id, actor=ACTOR, at=at("2026-03-05"))
    with pytest.raises(RuleViolation, match="no longer holds the seat the petition is against"):
        petitions.sign_petition(
            uow, petition_id=petition.id, member_id=city.members["Factory"][8].id, actor=ACTOR
        )
    assert petitions.petition_view(uow, petition.id).status is PetitionStatus.LAPSED
    listing = petitions.constituency_petitions(uow, city.factory.id, at("2026-03-06"))
    assert [(r.petition.id, r.status) for r in listing.petitions] == [
        (petition.id, PetitionStatus.LAPSED)
    ]
    assert petitions.constituency_petitions(uow, city.factory.id, at("2026-02-28")).petitions == []
    with pytest.raises(NotFound, match="opened only on 2026-03-01"):
        petitions.petition_view(uow, petition.id, at("2026-02-28"))


def test_a_recall_vote_short_of_the_rule_keeps_the_delegate_and_a_new_petition_may_follow(
    uow: UnitOfWork,
) -> None:
    city = build_city(uow)
    elect_city(uow, city)
    mandate_id = factory_delegate(uow, city)
    workers = city.members["Factory"]
    petition = petitions.open_petition(
        uow, mandate_id=mandate_id, opened_by=workers[9].id, actor=ACTOR, at=at("2026-03-01")
    )
    petitions.sign_petition(
        uow, petition_id=petition.id, member_id=workers[8].id, actor=ACTOR, at=at("2026-03-02")
    )
    vote = petitions.hold_recall_vote(
        uow, petition_id=petition.id, votes_for=5, votes_against=4, actor=ACTOR, at=at("2026-03-03")
    )
    assert not vote.carried  # 5 of 10 is not more than half
    assert petitions.petition_view(uow, petition.id).status is PetitionStatus.KEPT
    again = petitions.open_petition(
        uow, mandate_id=mandate_id, opened_by=workers[7].id, actor=ACTOR, at=at("2026-04-01")
    )
    listing = petitions.council_petitions(uow, city.council.id, at("2026-04-02"))
    assert [r.petition.id for r in listing.petitions] == [again.id, petition.id]
    with uow:
        ended = uow.repo.mandates_ended(city.council.id, MandateEnd.RECALL)
    assert ended == []


def test_the_threshold_is_the_petition_share_of_the_electors_rounded_up(uow: UnitOfWork) -> None:
    city = build_city(uow)
    elect_city(uow, city)
    assert city.regiment.petition_share == Fraction(1, 5)
    with uow:
        mandate = uow.repo.mandates_at(at("2026-02-10"), constituency_id=city.regiment.id)[0]
    # 1/5 of the regiment's 6 members is 1.2: two signatures are needed.
    petition = petitions.open_petition(
        uow,
        mandate_id=mandate.id,
        opened_by=city.members["Regiment"][1].id,
        actor=ACTOR,
        at=at("2026-03-01"),
    )
    assert (petition.electorate, petition.threshold) == (6, 2)
