"""The pure rules of congresses: credentials decided by hand, petition thresholds, where a
petition stands, and the projection of the events."""

from __future__ import annotations

from datetime import UTC, datetime
from fractions import Fraction

import pytest

from smolny.domain.congress import (
    Credential,
    CredentialReason,
    CredentialsChecked,
    Decision,
    Petition,
    PetitionOpened,
    PetitionSigned,
    PetitionStatus,
    PetitionVoted,
    Signature,
    decide_credentials,
    petition_status,
    petition_threshold,
)
from smolny.domain.events import Recorded
from smolny.domain.mandates import Mandate, MandateEnd
from smolny.domain.projection import MemoryRecords


def day(n: int, month: int = 6) -> datetime:
    return datetime(1917, month, n, 12, tzinfo=UTC)


def mandate(
    id: int, constituency_id: int, start: int, end: int | None = None, why: MandateEnd | None = None
) -> Mandate:
    return Mandate(
        id=id,
        council_id=1,
        member_id=7,
        faction_id=None,
        section_id=None,
        constituency_id=constituency_id,
        origin_council_id=None,
        election_id=None,
        valid_from=day(start, 5),
        valid_to=day(end) if end else None,
        end_reason=why,
    )


def decide(**given: object) -> Decision:
    args: dict[str, object] = {
        "member": "Ivanov",
        "council": "Tver Soviet",
        "congress": "Congress",
        "constituency_ids": [3],
        "seats": 2,
        "mandates": [],
        "at": day(3),
        "elsewhere": {4: "Moscow Soviet"},
    }
    args.update(given)
    return decide_credentials(**args)  # type: ignore[arg-type]


def test_a_delegate_with_an_active_mandate_from_the_council_is_seated() -> None:
    decision = decide(mandates=[mandate(10, 3, start=20)])
    assert decision.seated
    assert decision.reason is None
    assert decision.mandate_id == 10


def test_a_council_that_sends_no_delegates_is_named_with_the_council_it_sends_through() -> None:
    decision = decide(constituency_ids=[], through="Tver District Congress")
    assert not decision.seated
    assert decision.reason is CredentialReason.NOT_REPRESENTED
    assert decision.detail == (
        "Tver Soviet sends no delegates to Congress: it sends its delegates through Tver "
        "District Congress"
    )


def test_a_council_without_seats_must_combine() -> None:
    decision = decide(seats=0, mandates=[mandate(10, 3, start=20)])
    assert decision.reason is CredentialReason.NO_SEATS
    assert decision.detail == (
        "Tver Soviet has no seats in Congress: it must combine with other councils to send "
        "delegates"
    )


def test_a_recalled_delegate_is_refused_saying_when() -> None:
    decision = decide(mandates=[mandate(10, 3, start=20, end=1, why=MandateEnd.RECALL)])
    assert decision.reason is CredentialReason.MANDATE_ENDED
    assert decision.detail == "Ivanov's mandate from Tver Soviet ended: recalled on 1917-06-01"
    assert decision.mandate_id == 10


def test_a_delegate_from_another_council_is_refused_for_this_one() -> None:
    decision = decide(mandates=[mandate(11, 4, start=20)])
    assert decision.reason is CredentialReason.NO_MANDATE
    assert decision.detail == (
        "Ivanov holds no mandate in Congress from Tver Soviet (holds one from Moscow Soviet "
        "instead)"
    )


def test_a_mandate_not_yet_begun_does_not_count() -> None:
    decision = decide(mandates=[mandate(10, 3, start=20)], at=day(19, 5))
    assert decision.reason is CredentialReason.NO_MANDATE


@pytest.mark.parametrize(
    ("share", "electorate", "needed"),
    [
        (Fraction(1, 5), 10, 2),
        (Fraction(1, 5), 6, 2),  # 1.2, rounded up
        (Fraction(1, 5), 5, 1),
        (Fraction(1, 3), 9, 3),
        (Fraction(1, 2), 3_001, 1_501),
        (Fraction(1, 5), 0, 0),
    ],
)
def test_a_petition_needs_its_share_of_the_electors_rounded_up(
    share: Fraction, electorate: int, needed: int
) -> None:
    assert petition_threshold(share, electorate) == needed


def test_a_petition_share_above_one_is_refused() -> None:
    with pytest.raises(ValueError, match="share"):
        petition_threshold(Fraction(3, 2), 10)


def test_where_a_petition_stands_depends_on_the_moment() -> None:
    petition = Petition(
        1, 10, 3, 5, "", day(1), 10, 2, signatures=2, reached_at=day(2), recall_vote_id=4,
        voted_at=day(5),
    )  # fmt: skip
    held = mandate(10, 3, start=1, end=5, why=MandateEnd.RECALL)
    assert petition_status(petition, held, day(1), True) is PetitionStatus.OPEN
    assert petition_status(petition, held, day(3), True) is PetitionStatus.REACHED
    assert petition_status(petition, held, day(6), True) is PetitionStatus.RECALLED
    assert petition_status(petition, held, day(6), False) is PetitionStatus.KEPT
    unvoted = Petition(2, 10, 3, 5, "", day(1), 10, 2)
    resigned = mandate(10, 3, start=1, end=4, why=MandateEnd.RESIGNATION)
    assert petition_status(unvoted, resigned, day(6), None) is PetitionStatus.LAPSED


def recorded(seq: int, event: object, at: datetime) -> Recorded:
    return Recorded(seq, at, "test", 1, event)  # type: ignore[arg-type]


def test_signatures_count_up_to_the_threshold_and_the_vote_closes_the_petition() -> None:
    records = MemoryRecords()
    records.apply(recorded(1, PetitionOpened(1, 1, 10, 3, 5, "why", 10, 2, False), day(1)))
    assert records.get(Petition, 1).signatures == 1
    records.apply(recorded(2, PetitionSigned(2, 1, 6, True), day(2)))
    petition = records.get(Petition, 1)
    assert (petition.signatures, petition.reached_at) == (2, day(2))
    assert records.get(Signature, 2).member_id == 6
    records.apply(recorded(3, PetitionVoted(1, 4), day(3)))
    assert records.get(Petition, 1).voted_at == day(3)


def test_a_later_check_supersedes_the_credentials_in_force() -> None:
    records = MemoryRecords()
    first = CredentialsChecked(1, 1, 7, 2, 3, 10, True, None, "holds a mandate")
    records.apply(recorded(1, first, day(3)))
    refusal = CredentialsChecked(
        2, 1, 7, 2, 3, 10, False, CredentialReason.REFUSED, "refused", 9, superseded_id=1
    )
    records.apply(recorded(2, refusal, day(4)))
    old, new = records.get(Credential, 1), records.get(Credential, 2)
    assert old.in_force(day(3))
    assert not old.in_force(day(4))
    assert new.in_force(day(4))
    assert not new.seated
