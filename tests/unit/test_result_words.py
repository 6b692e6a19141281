"""A closed vote's and a recall's rule, told in the page's language from the recorded facts."""

from __future__ import annotations

from datetime import UTC, datetime
from fractions import Fraction

import pytest

from smolny.domain.federation import RecallBasis, RecallRule
from smolny.domain.sittings import Outcome, Vote, VoteMode
from smolny.voting.majority import Majority
from smolny.web.i18n import speaking
from smolny.web.sittings import needed_words
from smolny.web.words import recorded_rule_text

NOW = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)


def closed(majority: Majority, yes: int, no: int, abstain: int, **facts: int) -> Vote:
    return Vote(
        id=1,
        motion_id=1,
        sitting_id=1,
        mode=VoteMode.ROLL_CALL,
        majority=majority,
        opened_at=NOW,
        closed_at=NOW,
        yes=yes,
        no=no,
        abstain=abstain,
        outcome=Outcome.CARRIED,
        reason="as the services said it",
        **{"present": 3, "seated": 3, "seats": 6, "quorum_needed": 2, **facts},
    )


def test_what_a_simple_majority_needed_in_english_and_in_russian() -> None:
    vote = closed(Majority.SIMPLE, 2, 1, 0, required=2)
    with speaking("en"):
        assert needed_words(vote) == "It needed more than 1 for, of 3 votes for and against."
    with speaking("ru"):
        assert needed_words(vote) == (
            "«За» должно было быть больше 1 (база подсчёта: 3 голоса «за» и «против»)."
        )


@pytest.mark.parametrize(
    ("majority", "required", "english"),
    [
        (Majority.TWO_THIRDS_OF_SEATS, 4, "It needed at least 4 for, of 6 seats."),
        (Majority.OF_VOTES_CAST, 3, "It needed more than 2 for, of 4 votes cast."),
    ],
)
def test_the_base_follows_the_rule(majority: Majority, required: int, english: str) -> None:
    with speaking("en"):
        assert needed_words(closed(majority, 2, 1, 1, required=required)) == english


def test_without_a_quorum_the_vote_says_so() -> None:
    vote = closed(Majority.SIMPLE, 1, 0, 0, present=1, required=1)
    with speaking("ru"):
        assert needed_words(vote) == "Кворума нет: присутствуют 1, нужно 2."


@pytest.mark.parametrize(
    "rule",
    [
        RecallRule(),
        RecallRule(basis=RecallBasis.VOTES_CAST),
        RecallRule(share=Fraction(2, 3)),
    ],
)
def test_a_recorded_recall_rule_reads_in_russian(rule: RecallRule) -> None:
    with speaking("ru"):
        said = recorded_rule_text(rule.describe())
    assert said != rule.describe()
    assert not any("a" <= c.lower() <= "z" for c in said)
    with speaking("en"):
        assert recorded_rule_text(rule.describe()) == rule.describe()
    assert (
        recorded_rule_text("whatever the organization wrote") == "whatever the organization wrote"
    )
