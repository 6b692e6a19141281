from fractions import Fraction

from smolny.domain.federation import RecallBasis, RecallRule


def test_the_default_is_a_majority_of_all_members() -> None:
    rule = RecallRule()
    assert rule.describe() == "a majority of its members"
    assert rule.carried(votes_for=36, votes_against=0, electorate=70)
    assert not rule.carried(votes_for=35, votes_against=0, electorate=70)  # half is not more
    # A majority of the votes cast is not enough when the rule counts members.
    assert not rule.carried(votes_for=30, votes_against=10, electorate=70)


def test_a_majority_of_votes_cast() -> None:
    rule = RecallRule(RecallBasis.VOTES_CAST)
    assert rule.carried(votes_for=30, votes_against=10, electorate=70)
    assert not rule.carried(votes_for=10, votes_against=10, electorate=70)
    assert not rule.carried(votes_for=0, votes_against=0, electorate=70)


def test_a_two_thirds_rule() -> None:
    rule = RecallRule(RecallBasis.MEMBERS, Fraction(2, 3))
    assert rule.describe() == "more than 2/3 of its members"
    assert not rule.carried(votes_for=40, votes_against=0, electorate=60)
    assert rule.carried(votes_for=41, votes_against=0, electorate=60)
