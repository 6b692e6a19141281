"""Sittings through the services, on SQLite and PostgreSQL: attendance and quorum, walkouts,
the agenda and the floor, motions, amendments, votes of every mode, faction lines,
elections in a sitting, the minutes, and the sitting as of any moment.

The chamber (tests/builders_sittings.py) is the test city's council: eight delegates, five
of whom make a quorum. Times are on 12 May 2026, UTC.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine, insert

from smolny.domain.elections import ListTally
from smolny.domain.errors import AlreadyExists, DomainError, InvalidInput, RuleViolation
from smolny.domain.federation import CouncilKind, Majority, Power
from smolny.domain.sittings import (
    Choice,
    ItemKind,
    MotionStatus,
    Outcome,
    SittingStatus,
    VoteMode,
)
from smolny.services import elections, federation, sittings
from smolny.services.verify import verify_ledger
from smolny.store.sittings import sitting_voters
from smolny.store.uow import UnitOfWork
from tests.builders import ACTOR
from tests.builders_sittings import (
    CENTRE,
    EVERYONE,
    WORKERS,
    Chamber,
    build_chamber,
    t,
)


def head(uow: UnitOfWork) -> tuple[int, str]:
    with uow:
        return uow.ledger.head()


def refused(
    uow: UnitOfWork, error: type[DomainError], match: str, action: Callable[[], Any]
) -> str:
    """The action is refused with `error` saying `match`, and the ledger is unchanged."""
    before = head(uow)
    with pytest.raises(error, match=match) as caught:
        action()
    assert head(uow) == before
    return caught.value.message


def check_in(uow: UnitOfWork, chamber: Chamber, names: list[str], minute: int) -> None:
    sittings.check_in(
        uow,
        sitting_id=chamber.sitting.id,
        member_ids=chamber.ids(*names),
        actor=ACTOR,
        at=t(18, minute),
    )


def motion(uow: UnitOfWork, chamber: Chamber, minute: int, **kwargs: Any) -> int:
    kwargs.setdefault("title", "All power to the councils")
    kwargs.setdefault("text", "The council takes power.")
    if not any(k.startswith("by_") for k in kwargs):
        kwargs["by_faction_id"] = chamber.faction("Left")
    return sittings.table_motion(
        uow, sitting_id=chamber.sitting.id, actor=ACTOR, at=t(18, minute), **kwargs
    ).id


def roll_call(
    uow: UnitOfWork, chamber: Chamber, motion_id: int, votes: dict[str, Choice], minute: int
) -> int:
    vote = sittings.open_vote(
        uow, motion_id=motion_id, mode=VoteMode.ROLL_CALL, actor=ACTOR, at=t(18, minute)
    )
    for name, choice in votes.items():
        sittings.cast_vote(
            uow,
            vote_id=vote.id,
            member_id=chamber.id(name),
            choice=choice,
            actor=ACTOR,
            at=t(18, minute + 1),
        )
    return vote.id


@pytest.fixture
def chamber(uow: UnitOfWork) -> Chamber:
    return build_chamber(uow)


# -- attendance --------------------------------------------------------------------------------


def test_only_a_delegate_holding_a_seat_checks_in(uow: UnitOfWork, chamber: Chamber) -> None:
    sid = chamber.sitting.id
    factory = chamber.city.members["Factory"]
    not_elected = factory[4]  # Factory member 5: a Left member, not elected
    message = refused(
        uow,
        RuleViolation,
        "Factory member 5 is not a delegate of City Council",
        lambda: sittings.check_in(
            uow, sitting_id=sid, member_ids=[not_elected.id], actor=ACTOR, at=t(18, 1)
        ),
    )
    assert "cannot check in" in message
    check_in(uow, chamber, ["Factory member 1"], 2)
    refused(
        uow,
        AlreadyExists,
        r"Factory member 1 is already present \(since 18:02\)",
        lambda: check_in(uow, chamber, ["Factory member 1"], 3),
    )
    view = sittings.sitting_view(uow, sid, t(18, 3))
    assert (view.presence.present, view.presence.seated, view.presence.needed) == (1, 8, 5)
    assert not view.presence.quorate
    assert verify_ledger(uow).ok


def test_a_recalled_delegate_is_refused_at_the_door_with_the_date_and_reason(
    uow: UnitOfWork, chamber: Chamber
) -> None:
    mandate = chamber.mandates["Factory member 2"]
    elections.recall_delegate(
        uow, mandate_id=mandate.id, votes_for=6, votes_against=1, actor=ACTOR, at=t(17, 50)
    )
    refused(
        uow,
        RuleViolation,
        r"Factory member 2 holds no seat in City Council since 2026-05-12 \(recall\)",
        lambda: check_in(uow, chamber, ["Factory member 2"], 1),
    )
    # Everyone else may come in: the seated are now seven, and four make a quorum.
    sittings.check_in(uow, sitting_id=chamber.sitting.id, everyone=True, actor=ACTOR, at=t(18, 2))
    view = sittings.sitting_view(uow, chamber.sitting.id, t(18, 2))
    assert (view.presence.present, view.presence.seated, view.presence.needed) == (7, 7, 4)


def test_a_sitting_of_one_section_seats_only_that_sections_delegates(uow: UnitOfWork) -> None:
    chamber = build_chamber(uow, section_names=["Workers"], title="Workers' section")
    message = refused(
        uow,
        RuleViolation,
        "Regiment member 1 sits in the Soldiers section of City Council, not in this "
        r"sitting's \(Workers\)",
        lambda: check_in(uow, chamber, ["Regiment member 1"], 1),
    )
    assert "cannot check in" in message
    sittings.check_in(
        uow,
        sitting_id=chamber.sitting.id,
        faction_ids=[chamber.faction("Left")],
        actor=ACTOR,
        at=t(18, 2),
    )
    view = sittings.sitting_view(uow, chamber.sitting.id, t(18, 2))
    # The Workers section: Left 4 and Centre 1; the quorum is 3 of 5.
    assert (view.presence.present, view.presence.seated, view.presence.needed) == (4, 5, 3)
    assert {h.member.name for h in view.here} == set(WORKERS)
    assert view.where == "City Council (Workers)"


def test_a_joint_sitting_of_two_sections_seats_both(uow: UnitOfWork) -> None:
    chamber = build_chamber(uow, section_names=["Workers", "Soldiers"], title="Joint sitting")
    sittings.check_in(uow, sitting_id=chamber.sitting.id, everyone=True, actor=ACTOR, at=t(18, 1))
    view = sittings.sitting_view(uow, chamber.sitting.id, t(18, 1))
    assert (view.presence.present, view.presence.seated) == (8, 8)
    assert [s.name for s in view.sections] == ["Workers", "Soldiers"]


# -- quorum and walkouts -----------------------------------------------------------------------


def test_a_walkout_in_the_middle_of_a_vote_loses_the_quorum_voids_the_vote_and_they_come_back(
    uow: UnitOfWork, chamber: Chamber
) -> None:
    sid = chamber.sitting.id
    check_in(uow, chamber, [*WORKERS, *CENTRE], 1)  # 6 present of 8: quorate (5)
    motion_id = motion(uow, chamber, 2)
    vote = sittings.open_vote(uow, motion_id=motion_id, actor=ACTOR, at=t(18, 3))
    for name in WORKERS[:3]:
        sittings.cast_vote(
            uow,
            vote_id=vote.id,
            member_id=chamber.id(name),
            choice=Choice.FOR,
            actor=ACTOR,
            at=t(18, 4),
        )
    walkout = sittings.walk_out(
        uow,
        sitting_id=sid,
        faction_ids=[chamber.faction("Centre")],
        statement="We will not share responsibility for this.",
        actor=ACTOR,
        at=t(18, 5),
    )
    assert set(walkout.member_ids) == set(chamber.ids(*CENTRE))
    view = sittings.sitting_view(uow, sid, t(18, 5))
    assert (view.presence.present, view.presence.needed, view.presence.quorate) == (4, 5, False)

    # Business stops: no ballot, no count, no new vote.
    refused(
        uow,
        RuleViolation,
        r"no quorum \(4 present of 8 seated; the quorum is 5",
        lambda: sittings.cast_vote(
            uow,
            vote_id=vote.id,
            member_id=chamber.id(WORKERS[3]),
            choice=Choice.AGAINST,
            actor=ACTOR,
            at=t(18, 6),
        ),
    )
    refused(
        uow,
        RuleViolation,
        "the vote cannot be counted now",
        lambda: sittings.close_vote(uow, vote_id=vote.id, actor=ACTOR, at=t(18, 6)),
    )

    # They come back: the quorum is regained, but the vote it was lost in is void.
    sittings.check_in(
        uow, sitting_id=sid, faction_ids=[chamber.faction("Centre")], actor=ACTOR, at=t(18, 8)
    )
    closed = sittings.close_vote(uow, vote_id=vote.id, actor=ACTOR, at=t(18, 9))
    assert closed.outcome is Outcome.VOID
    assert closed.reason.startswith(
        "void: quorum lost during the vote (at 18:05: 4 present, 5 needed)"
    )
    state = sittings.motion_view(uow, motion_id).motion(motion_id)
    assert state.status is MotionStatus.PENDING  # a void vote decides nothing

    # With the quorum back the motion is put again, and carried.
    again = roll_call(uow, chamber, motion_id, dict.fromkeys([*WORKERS, *CENTRE], Choice.FOR), 10)
    result = sittings.close_vote(uow, vote_id=again, actor=ACTOR, at=t(18, 12))
    assert (result.outcome, result.yes, result.present) == (Outcome.CARRIED, 6, 6)

    view = sittings.sitting_view(uow, sid, t(18, 12))
    assert [(p.at, p.present, p.quorate) for p in view.timeline if p.at >= t(18, 5)][:2] == [
        (t(18, 5), 4, False),
        (t(18, 8), 6, True),
    ]
    texts = [e.text for e in view.log]
    assert "Quorum lost (4 present, 5 needed)" in texts
    assert "Quorum regained (6 present, 5 needed)" in texts
    assert view.walkouts[0].returned == sorted(CENTRE)
    assert verify_ledger(uow).ok


def test_the_council_quorum_share_is_its_standing_rule(uow: UnitOfWork, chamber: Chamber) -> None:
    from fractions import Fraction

    federation.set_standing_rules(
        uow, council_id=chamber.city.council.id, quorum=Fraction(2, 3), actor=ACTOR, at=t(18, 1)
    )
    check_in(uow, chamber, EVERYONE[:5], 2)
    view = sittings.sitting_view(uow, chamber.sitting.id, t(18, 2))
    assert (view.presence.present, view.presence.needed, view.presence.quorate) == (5, 6, False)
    motion_id = motion(uow, chamber, 3)
    refused(
        uow,
        RuleViolation,
        "no quorum",
        lambda: sittings.open_vote(uow, motion_id=motion_id, actor=ACTOR, at=t(18, 4)),
    )


def test_closing_the_sitting_ends_attendance_and_voids_a_vote_still_open(
    uow: UnitOfWork, chamber: Chamber
) -> None:
    sid = chamber.sitting.id
    check_in(uow, chamber, EVERYONE, 1)
    motion_id = motion(uow, chamber, 2)
    vote = sittings.open_vote(uow, motion_id=motion_id, actor=ACTOR, at=t(18, 3))
    sittings.close_sitting(uow, sitting_id=sid, actor=ACTOR, at=t(19))
    closed = sittings.get_vote(uow, vote.id)
    assert closed.outcome is Outcome.VOID
    assert "the sitting closed before the vote was counted" in closed.reason
    view = sittings.sitting_view(uow, sid, t(20))
    assert view.status is SittingStatus.CLOSED
    assert view.presence.present == 0
    assert view.timeline[-1].at == t(19)
    refused(
        uow,
        RuleViolation,
        "closed at 2026-05-12 19:00 UTC: cannot check in",
        lambda: sittings.check_in(
            uow,
            sitting_id=sid,
            member_ids=chamber.ids("Factory member 1"),
            actor=ACTOR,
            at=t(19, 10),
        ),
    )
    assert verify_ledger(uow).ok


# -- agenda and the floor ----------------------------------------------------------------------


def test_the_chair_gives_the_floor_in_the_order_delegates_asked(
    uow: UnitOfWork, chamber: Chamber
) -> None:
    sid = chamber.sitting.id
    check_in(uow, chamber, ["Factory member 1", "Factory member 2", "Regiment member 5"], 1)
    for title, kind in (("Report of the executive", ItemKind.REPORT), ("Power", ItemKind.MOTION)):
        sittings.add_agenda_item(
            uow, sitting_id=sid, title=title, kind=kind, actor=ACTOR, at=t(18, 2)
        )
    refused(
        uow,
        RuleViolation,
        "no item of the agenda is before the sitting",
        lambda: sittings.ask_to_speak(
            uow, sitting_id=sid, member_id=chamber.id("Factory member 2"), actor=ACTOR, at=t(18, 3)
        ),
    )
    sittings.take_up_item(uow, sitting_id=sid, actor=ACTOR, at=t(18, 3))
    for minute, name in ((4, "Regiment member 5"), (5, "Factory member 2")):
        sittings.ask_to_speak(
            uow, sitting_id=sid, member_id=chamber.id(name), actor=ACTOR, at=t(18, minute)
        )
    refused(
        uow,
        RuleViolation,
        "Factory member 3 is not present in the sitting",
        lambda: sittings.ask_to_speak(
            uow, sitting_id=sid, member_id=chamber.id("Factory member 3"), actor=ACTOR, at=t(18, 6)
        ),
    )
    first = sittings.give_floor(uow, sitting_id=sid, actor=ACTOR, at=t(18, 7))
    assert first is not None
    assert first.member_id == chamber.id("Regiment member 5")
    view = sittings.sitting_view(uow, sid, t(18, 7))
    assert view.current is not None
    assert [(s.name, s.state) for s in view.current.speakers] == [
        ("Regiment member 5", "speaking"),
        ("Factory member 2", "waiting"),
    ]
    second = sittings.give_floor(uow, sitting_id=sid, actor=ACTOR, at=t(18, 9))
    assert second is not None
    assert second.member_id == chamber.id("Factory member 2")
    # Moving to the next item ends the speech.
    item = sittings.take_up_item(uow, sitting_id=sid, actor=ACTOR, at=t(18, 12))
    assert item.title == "Power"
    view = sittings.sitting_view(uow, sid, t(18, 12))
    assert [s.state for s in view.agenda[0].speakers] == ["done", "done"]
    assert view.current is not None
    assert view.current.item.title == "Power"
    # As of 18:08 the first speaker still had the floor.
    then = sittings.sitting_view(uow, sid, t(18, 8))
    assert then.current is not None
    assert then.current.item.title == "Report of the executive"
    assert [s.state for s in then.current.speakers] == ["speaking", "waiting"]


# -- motions, amendments, votes ----------------------------------------------------------------


def test_an_amendment_is_voted_first_replaces_the_text_and_the_amended_motion_is_lost(
    uow: UnitOfWork, chamber: Chamber
) -> None:
    check_in(uow, chamber, EVERYONE, 1)
    motion_id = motion(uow, chamber, 2, text="The council takes power.")
    amendment = sittings.amend_motion(
        uow,
        motion_id=motion_id,
        text="The council takes power at once.",
        by_member_id=chamber.id("Factory member 7"),
        actor=ACTOR,
        at=t(18, 3),
    )
    refused(
        uow,
        RuleViolation,
        rf"motion {motion_id} has amendments not yet voted on \({amendment.id} ",
        lambda: sittings.open_vote(uow, motion_id=motion_id, actor=ACTOR, at=t(18, 4)),
    )
    carried = roll_call(
        uow,
        chamber,
        amendment.id,
        {n: Choice.FOR if i < 5 else Choice.AGAINST for i, n in enumerate(EVERYONE)},
        5,
    )
    result = sittings.close_vote(uow, vote_id=carried, actor=ACTOR, at=t(18, 7))
    assert (result.outcome, result.yes, result.no) == (Outcome.CARRIED, 5, 3)
    assert result.adopted_text == "The council takes power at once."
    lost = roll_call(
        uow,
        chamber,
        motion_id,
        {n: Choice.AGAINST if i < 5 else Choice.FOR for i, n in enumerate(EVERYONE)},
        8,
    )
    result = sittings.close_vote(uow, vote_id=lost, actor=ACTOR, at=t(18, 10))
    assert (result.outcome, result.yes, result.no, result.required) == (Outcome.LOST, 3, 5, 5)

    state = sittings.motion_view(uow, motion_id).motion(motion_id)
    assert state.status is MotionStatus.LOST
    assert state.text == "The council takes power at once."
    assert state.motion.original_text == "The council takes power."
    assert state.amended_by == [amendment.id]
    before = sittings.motion_view(uow, motion_id, t(18, 6)).motion(motion_id)
    assert before.text == "The council takes power."
    assert before.status is MotionStatus.PENDING
    refused(
        uow,
        RuleViolation,
        f"motion {motion_id} .* was lost",
        lambda: sittings.open_vote(uow, motion_id=motion_id, actor=ACTOR, at=t(18, 11)),
    )
    assert verify_ledger(uow).ok


@pytest.mark.parametrize("rule", list(Majority))
def test_a_tie_does_not_carry_under_any_majority_rule(
    uow: UnitOfWork, chamber: Chamber, rule: Majority
) -> None:
    check_in(uow, chamber, EVERYONE, 1)
    tied_totals = motion(uow, chamber, 2, majority=rule, title="By show of hands")
    counted = sittings.record_totals(
        uow, motion_id=tied_totals, yes=3, no=3, abstain=2, actor=ACTOR, at=t(18, 3)
    )
    assert (counted.outcome, counted.mode, counted.majority) == (
        Outcome.TIED,
        VoteMode.SHOW_OF_HANDS,
        rule,
    )
    assert "a tie" in counted.reason
    tied_roll = motion(uow, chamber, 4, majority=rule, title="By roll-call")
    vote = roll_call(
        uow,
        chamber,
        tied_roll,
        {n: Choice.FOR if i % 2 else Choice.AGAINST for i, n in enumerate(EVERYONE)},
        5,
    )
    result = sittings.close_vote(uow, vote_id=vote, actor=ACTOR, at=t(18, 7))
    assert (result.outcome, result.yes, result.no) == (Outcome.TIED, 4, 4)
    assert sittings.motion_view(uow, tied_roll).motion(tied_roll).status is MotionStatus.LOST


def test_the_majority_rule_is_the_motions_else_the_councils(
    uow: UnitOfWork, chamber: Chamber
) -> None:
    federation.set_standing_rules(
        uow,
        council_id=chamber.city.council.id,
        majority=Majority.TWO_THIRDS,
        actor=ACTOR,
        at=t(17, 50),
    )
    check_in(uow, chamber, EVERYONE, 1)
    standing = motion(uow, chamber, 2, title="Under the standing rule")
    stated = motion(uow, chamber, 3, title="Stating its rule", majority=Majority.SIMPLE)
    five_to_three = {n: Choice.FOR if i < 5 else Choice.AGAINST for i, n in enumerate(EVERYONE)}
    for motion_id, minute in ((standing, 4), (stated, 8)):
        vote = roll_call(uow, chamber, motion_id, five_to_three, minute)
        sittings.close_vote(uow, vote_id=vote, actor=ACTOR, at=t(18, minute + 2))
    view = sittings.sitting_view(uow, chamber.sitting.id)
    results = {m.motion.title: m.votes[0].vote for m in view.motions}
    assert results["Under the standing rule"].majority is Majority.TWO_THIRDS
    assert (
        results["Under the standing rule"].outcome,
        results["Under the standing rule"].required,
    ) == (Outcome.LOST, 6)
    assert (results["Stating its rule"].outcome, results["Stating its rule"].required) == (
        Outcome.CARRIED,
        5,
    )


def test_totals_are_entered_for_a_show_of_hands_but_never_more_than_are_present(
    uow: UnitOfWork, chamber: Chamber
) -> None:
    check_in(uow, chamber, EVERYONE[:6], 1)
    motion_id = motion(uow, chamber, 2)
    refused(
        uow,
        RuleViolation,
        r"7 votes entered \(5 for, 1 against, 1 abstaining\) but only 6 delegates are present",
        lambda: sittings.record_totals(
            uow, motion_id=motion_id, yes=5, no=1, abstain=1, actor=ACTOR, at=t(18, 3)
        ),
    )
    vote = sittings.record_totals(
        uow, motion_id=motion_id, yes=4, no=1, abstain=1, actor=ACTOR, at=t(18, 3)
    )
    assert (vote.outcome, vote.present, vote.seated, vote.required) == (Outcome.CARRIED, 6, 8, 3)


def test_a_vote_in_which_no_one_voted_for_or_against_is_lost(
    uow: UnitOfWork, chamber: Chamber
) -> None:
    check_in(uow, chamber, EVERYONE, 1)
    motion_id = motion(uow, chamber, 2)
    refused(
        uow,
        InvalidInput,
        "no vote was entered",
        lambda: sittings.record_totals(
            uow, motion_id=motion_id, yes=0, no=0, abstain=0, actor=ACTOR, at=t(18, 3)
        ),
    )
    vote = roll_call(uow, chamber, motion_id, {"Factory member 1": Choice.ABSTAIN}, 4)
    closed = sittings.close_vote(uow, vote_id=vote, actor=ACTOR, at=t(18, 6))
    assert (closed.outcome, closed.reason) == (
        Outcome.LOST,
        "not carried: no vote for or against, 1 abstaining",
    )


def test_a_recalled_delegate_cannot_vote_and_leaves_the_count(
    uow: UnitOfWork, chamber: Chamber
) -> None:
    check_in(uow, chamber, EVERYONE, 1)
    motion_id = motion(uow, chamber, 2)
    vote = sittings.open_vote(uow, motion_id=motion_id, actor=ACTOR, at=t(18, 3))
    elections.recall_delegate(
        uow,
        mandate_id=chamber.mandates["Factory member 3"].id,
        votes_for=7,
        votes_against=2,
        actor=ACTOR,
        at=t(18, 4),
    )
    message = refused(
        uow,
        RuleViolation,
        r"Factory member 3 holds no seat in City Council since 2026-05-12 \(recall\)",
        lambda: sittings.cast_vote(
            uow,
            vote_id=vote.id,
            member_id=chamber.id("Factory member 3"),
            choice=Choice.FOR,
            actor=ACTOR,
            at=t(18, 5),
        ),
    )
    assert message.endswith("cannot vote")
    view = sittings.sitting_view(uow, chamber.sitting.id, t(18, 5))
    assert (view.presence.present, view.presence.seated) == (7, 7)
    assert view.open_votes[0].present == 7


def test_a_delegate_votes_once_and_the_database_enforces_it(
    uow: UnitOfWork, chamber: Chamber, engine: Engine
) -> None:
    check_in(uow, chamber, EVERYONE, 1)
    motion_id = motion(uow, chamber, 2)
    for mode, minute in ((VoteMode.ROLL_CALL, 10), (VoteMode.SECRET, 20)):
        if mode is VoteMode.SECRET:
            motion_id = motion(uow, chamber, minute, title="Secretly")
        vote = sittings.open_vote(
            uow, motion_id=motion_id, mode=mode, actor=ACTOR, at=t(18, minute + 1)
        )
        voter = chamber.id("Factory member 4")
        sittings.cast_vote(
            uow,
            vote_id=vote.id,
            member_id=voter,
            choice=Choice.FOR,
            actor=ACTOR,
            at=t(18, minute + 2),
        )
        refused(
            uow,
            AlreadyExists,
            rf"Factory member 4 has already voted in vote {vote.id} \(at 18:{minute + 2}\)",
            lambda vote_id=vote.id, voter=voter, minute=minute: sittings.cast_vote(
                uow,
                vote_id=vote_id,
                member_id=voter,
                choice=Choice.AGAINST,
                actor=ACTOR,
                at=t(18, minute + 3),
            ),
        )
        # Behind the service's back, the database refuses a second row too.
        with pytest.raises(Exception, match=r"(?i)unique|duplicate"), engine.begin() as connection:
            connection.execute(
                insert(sitting_voters).values(
                    id=999 + vote.id,
                    vote_id=vote.id,
                    member_id=voter,
                    mandate_id=chamber.mandates["Factory member 4"].id,
                    cast_at=t(18, minute + 3),
                    choice=None,
                )
            )
        sittings.close_vote(uow, vote_id=vote.id, actor=ACTOR, at=t(18, minute + 4))
    assert verify_ledger(uow).ok


def test_only_a_delegate_present_votes(uow: UnitOfWork, chamber: Chamber) -> None:
    check_in(uow, chamber, EVERYONE[:6], 1)
    motion_id = motion(uow, chamber, 2)
    vote = sittings.open_vote(uow, motion_id=motion_id, actor=ACTOR, at=t(18, 3))
    refused(
        uow,
        RuleViolation,
        "Regiment member 5 is not present in the sitting",
        lambda: sittings.cast_vote(
            uow,
            vote_id=vote.id,
            member_id=chamber.id("Regiment member 5"),
            choice=Choice.FOR,
            actor=ACTOR,
            at=t(18, 4),
        ),
    )
    another = motion(uow, chamber, 5, title="Another")
    refused(
        uow,
        RuleViolation,
        r"the vote on motion \d+ \(All power to the councils\) is open",
        lambda: sittings.record_totals(
            uow,
            motion_id=another,
            yes=1,
            no=0,
            actor=ACTOR,
            at=t(18, 6),
        ),
    )


def test_a_motion_is_tabled_by_a_delegate_present_a_faction_or_a_committee_of_the_council(
    uow: UnitOfWork, chamber: Chamber
) -> None:
    city = chamber.city
    executive = federation.create_council(
        uow,
        organization_id=city.organization.id,
        name="Executive Committee",
        kind=CouncilKind.COMMITTEE,
        parent_id=city.council.id,
        actor=ACTOR,
        at=t(17, 50),
    )
    other = federation.create_council(
        uow, organization_id=city.organization.id, name="Other Council", actor=ACTOR, at=t(17, 50)
    )
    check_in(uow, chamber, ["Factory member 1"], 1)
    by_committee = motion(uow, chamber, 2, by_committee_id=executive.id, title="Report")
    by_delegate = motion(uow, chamber, 3, by_member_id=chamber.id("Factory member 1"))
    refused(
        uow,
        RuleViolation,
        "Other Council is not a committee of City Council",
        lambda: motion(uow, chamber, 4, by_committee_id=other.id),
    )
    refused(
        uow,
        RuleViolation,
        "Factory member 2 is not present in the sitting",
        lambda: motion(uow, chamber, 4, by_member_id=chamber.id("Factory member 2")),
    )
    refused(
        uow,
        InvalidInput,
        "one delegate, one faction or one committee",
        lambda: motion(
            uow,
            chamber,
            4,
            by_member_id=chamber.id("Factory member 1"),
            by_faction_id=chamber.faction("Left"),
        ),
    )
    view = sittings.sitting_view(uow, chamber.sitting.id)
    tabled = {m.motion.id: m.tabled_by for m in view.motions}
    assert tabled == {by_committee: "Executive Committee", by_delegate: "Factory member 1"}


# -- faction lines -----------------------------------------------------------------------------


def test_a_faction_line_broken_in_a_roll_call_names_the_breakers_and_the_absent_apart(
    uow: UnitOfWork, chamber: Chamber
) -> None:
    # The Left's delegates: Factory members 1-4 and Regiment member 1. Factory member 4
    # stays away; Factory member 2 and Regiment member 1 vote against the line.
    check_in(uow, chamber, [n for n in EVERYONE if n != "Factory member 4"], 1)
    motion_id = motion(uow, chamber, 2)
    line = sittings.adopt_line(
        uow,
        motion_id=motion_id,
        faction_id=chamber.faction("Left"),
        line=Choice.FOR,
        actor=ACTOR,
        at=t(18, 3),
    )
    assert line.line is Choice.FOR
    votes = {
        "Factory member 1": Choice.FOR,
        "Factory member 2": Choice.AGAINST,
        "Factory member 3": Choice.FOR,
        "Regiment member 1": Choice.AGAINST,
        "Factory member 7": Choice.ABSTAIN,
        "Regiment member 3": Choice.AGAINST,
    }
    vote = roll_call(uow, chamber, motion_id, votes, 4)
    refused(
        uow,
        RuleViolation,
        "Right adopts its line before the vote",
        lambda: sittings.adopt_line(
            uow,
            motion_id=motion_id,
            faction_id=chamber.faction("Right"),
            line=Choice.AGAINST,
            actor=ACTOR,
            at=t(18, 6),
        ),
    )
    sittings.close_vote(uow, vote_id=vote, actor=ACTOR, at=t(18, 7))
    state = sittings.motion_view(uow, motion_id).motion(motion_id).votes[0]
    assert state.names is not None
    assert state.names[Choice.AGAINST] == [
        "Factory member 2",
        "Regiment member 1",
        "Regiment member 3",
    ]
    (left,) = state.lines
    assert left.faction == "Left"
    assert left.broke == [
        ("Factory member 2", Choice.AGAINST),
        ("Regiment member 1", Choice.AGAINST),
    ]
    assert left.followed == ["Factory member 1", "Factory member 3"]
    assert left.absent == ["Factory member 4"]
    assert left.did_not_vote == []
    markdown = sittings.minutes_markdown(sittings.minutes(uow, chamber.sitting.id))
    assert (
        "Left line “for”: broken by Factory member 2 (against), Regiment member 1 (against); "
        "absent: Factory member 4" in markdown
    )


# -- secret votes ------------------------------------------------------------------------------


def test_a_secret_vote_leaves_nothing_that_links_a_voter_to_a_choice(
    uow: UnitOfWork, chamber: Chamber, engine: Engine
) -> None:
    import json

    from sqlalchemy import inspect, select

    from smolny.store.catalog import metadata

    check_in(uow, chamber, EVERYONE, 1)
    motion_id = motion(uow, chamber, 2)
    vote = sittings.open_vote(
        uow, motion_id=motion_id, mode=VoteMode.SECRET, actor=ACTOR, at=t(18, 3)
    )
    choices = [Choice.FOR] * 4 + [Choice.AGAINST] * 3 + [Choice.ABSTAIN]
    for name, choice in zip(EVERYONE, choices, strict=True):
        ballot = sittings.cast_vote(
            uow,
            vote_id=vote.id,
            member_id=chamber.id(name),
            choice=choice,
            actor=ACTOR,
            at=t(18, 4),
        )
        assert ballot.choice is None  # the answer does not repeat it either
    open_state = sittings.vote_state(uow, vote.id)
    assert (open_state.voted, open_state.present, open_state.names) == (8, 8, None)
    assert (open_state.vote.yes, open_state.vote.no, open_state.vote.abstain) == (0, 0, 0)
    closed = sittings.close_vote(uow, vote_id=vote.id, actor=ACTOR, at=t(18, 5))
    assert (closed.yes, closed.no, closed.abstain, closed.outcome) == (4, 3, 1, Outcome.CARRIED)

    voters = set(chamber.ids(*EVERYONE))
    choice_words = {c.value for c in Choice}
    with engine.connect() as connection:
        for name in inspect(connection).get_table_names():
            if name not in metadata.tables:
                continue
            table = metadata.tables[name]
            member_columns = [
                c.name
                for c in table.columns
                if c.name.endswith("member_id")
                or any(fk.column.table.name == "members" for fk in c.foreign_keys)
                or (name == "members" and c.name == "id")
            ]
            for row in connection.execute(select(table)).mappings():
                values = {str(v) for v in row.values() if v is not None}
                names_a_voter = any(row[c] in voters for c in member_columns)
                assert not (names_a_voter and values & choice_words), (name, dict(row))
        bodies = [
            json.loads(body)
            for (body,) in connection.execute(select(metadata.tables["events"].c.body))
        ]
    for body in bodies:
        leaves = list(_leaves(body["payload"]))
        names_a_voter = any(
            key.endswith("member_id") and value in voters for key, value in leaves
        ) or any(key.endswith("member_ids") and value in voters for key, value in leaves)
        assert not (
            names_a_voter and {v for _, v in leaves if isinstance(v, str)} & choice_words
        ), body
    kinds = [b.get("kind") for b in bodies]
    assert "sitting-ballot-cast" in kinds
    assert kinds.count("sitting-vote-cast") == 0
    assert verify_ledger(uow).ok


def _leaves(value: Any, key: str = "") -> Any:
    """(key, value) for every scalar in a JSON document; list items keep their list's key."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _leaves(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _leaves(v, key)
    else:
        yield key, value


# -- elections in a sitting --------------------------------------------------------------------


def test_the_council_elects_its_executive_as_an_item_of_the_sitting(
    uow: UnitOfWork, chamber: Chamber
) -> None:
    city = chamber.city
    executive = federation.create_council(
        uow,
        organization_id=city.organization.id,
        name="Executive Committee",
        kind=CouncilKind.COMMITTEE,
        parent_id=city.council.id,
        powers=[Power.ACT_BETWEEN_SITTINGS, Power.CONVENE],
        actor=ACTOR,
        at=t(17, 50),
    )
    sid = chamber.sitting.id
    check_in(uow, chamber, EVERYONE[:4], 1)
    lists = [
        ListTally(chamber.faction("Left"), tuple(chamber.ids(*WORKERS[:2])), None),
        ListTally(chamber.faction("Centre"), tuple(chamber.ids(*CENTRE)), None),
    ]
    refused(
        uow,
        RuleViolation,
        "no quorum .*: cannot hold an election",
        lambda: sittings.hold_election(
            uow,
            sitting_id=sid,
            committee_id=executive.id,
            seats=3,
            lists=lists,
            actor=ACTOR,
            at=t(18, 2),
        ),
    )
    check_in(uow, chamber, EVERYONE[4:], 3)
    sittings.add_agenda_item(
        uow,
        sitting_id=sid,
        title="Election of the executive",
        kind=ItemKind.ELECTION,
        actor=ACTOR,
        at=t(18, 4),
    )
    sittings.take_up_item(uow, sitting_id=sid, actor=ACTOR, at=t(18, 5))
    # A list naming someone who holds no seat in the council: refused, nothing recorded,
    # not even the election.
    bad = [ListTally(chamber.faction("Left"), (city.members["Factory"][5].id,), None)]
    refused(
        uow,
        RuleViolation,
        "Factory member 6 cannot stand in City Council",
        lambda: sittings.hold_election(
            uow,
            sitting_id=sid,
            committee_id=executive.id,
            seats=3,
            lists=bad,
            actor=ACTOR,
            at=t(18, 6),
        ),
    )
    # Seats by faction strength in the council (Left 5, Centre 2, D'Hondt for 3 seats:
    # quotients 5, 2.5, 2 -> Left 2, Centre 1).
    election = sittings.hold_election(
        uow,
        sitting_id=sid,
        committee_id=executive.id,
        seats=3,
        lists=lists,
        actor=ACTOR,
        at=t(18, 6),
    )
    assert election.council_id == executive.id
    view = sittings.sitting_view(uow, sid)
    (held,) = view.elections
    assert held.item.title == "Election of the executive"
    assert held.elected == ["Factory member 1", "Factory member 2", "Factory member 7"]
    assert held.powers == ["act-between-sittings", "convene"]
    assert view.agenda[0].election is not None
    # A second election with no election item before the sitting gets an item of its own.
    again = sittings.hold_election(
        uow,
        sitting_id=sid,
        committee_id=executive.id,
        seats=1,
        lists=lists[:1],
        actor=ACTOR,
        at=t(18, 20),
    )
    view = sittings.sitting_view(uow, sid)
    assert [i.item.title for i in view.agenda] == [
        "Election of the executive",
        "Election: Executive Committee",
    ]
    assert view.current is not None
    assert view.current.election is not None
    assert view.current.election.election.id == again.id
    assert verify_ledger(uow).ok


# -- the minutes, and the sitting as of a moment -----------------------------------------------


def test_the_minutes_hold_the_figures_of_the_sitting(uow: UnitOfWork, chamber: Chamber) -> None:
    sid = chamber.sitting.id
    check_in(uow, chamber, EVERYONE, 1)
    sittings.add_agenda_item(
        uow,
        sitting_id=sid,
        title="The question of power",
        kind=ItemKind.MOTION,
        actor=ACTOR,
        at=t(18, 2),
    )
    sittings.take_up_item(uow, sitting_id=sid, actor=ACTOR, at=t(18, 3))
    sittings.ask_to_speak(
        uow, sitting_id=sid, member_id=chamber.id("Factory member 2"), actor=ACTOR, at=t(18, 4)
    )
    sittings.give_floor(uow, sitting_id=sid, actor=ACTOR, at=t(18, 5))
    motion_id = motion(uow, chamber, 6)
    sittings.record_totals(
        uow, motion_id=motion_id, yes=5, no=2, abstain=1, actor=ACTOR, at=t(18, 7)
    )
    sittings.walk_out(
        uow,
        sitting_id=sid,
        faction_ids=[chamber.faction("Right")],
        statement="We leave.",
        actor=ACTOR,
        at=t(18, 8),
    )
    sittings.close_sitting(uow, sitting_id=sid, actor=ACTOR, at=t(18, 30))

    view = sittings.minutes(uow, sid)
    markdown = sittings.minutes_markdown(view)
    for text in (
        "# Minutes: Ordinary sitting",
        "City Council, sitting of 2026-05-12. In the chair: Factory member 1.",
        "Closed 2026-05-12 18:30 UTC.",
        "| 18:01 | 8 | 8 | 5 | yes |",
        "| 18:08 | 7 | 8 | 5 | yes |",
        "walkout of the Right (1 delegate: Regiment member 5), stating: “We leave.”",
        "1. The question of power (motion, taken up 18:03)",
        "Speakers: Factory member 2",
        "**carried, 5 for, 2 against, 1 abstaining (needed 4 for)**",
        "8 present of 8 seated (quorum 5)",
        "- 18:30 Sitting closed",
    ):
        assert text in markdown, text
    document = sittings.minutes_document(view)
    assert document["motions"][0]["votes"][0]["for"] == 5
    assert document["timeline"][1] == {
        "at": "2026-05-12T18:01:00+00:00",
        "present": 8,
        "seated": 8,
        "quorum": 5,
        "quorate": True,
    }
    assert document["closed_at"] == "2026-05-12T18:30:00+00:00"


def test_the_sitting_as_of_a_moment_shows_a_vote_in_progress_without_its_result(
    uow: UnitOfWork, chamber: Chamber
) -> None:
    sid = chamber.sitting.id
    check_in(uow, chamber, EVERYONE[:6], 1)
    motion_id = motion(uow, chamber, 2)
    vote = roll_call(uow, chamber, motion_id, dict.fromkeys(EVERYONE[:3], Choice.FOR), 3)
    check_in(uow, chamber, EVERYONE[6:], 6)
    sittings.close_vote(uow, vote_id=vote, actor=ACTOR, at=t(18, 8))
    during = sittings.sitting_view(uow, sid, t(18, 5))
    (progress,) = during.open_votes
    assert (progress.closed, progress.voted, progress.present, progress.outcome) == (
        False,
        3,
        6,
        None,
    )
    document = sittings.sitting_document(during)
    assert "outcome" not in document["motions"][0]["votes"][0]
    after = sittings.sitting_view(uow, sid, t(18, 9))
    assert after.open_votes == []
    assert after.motions[0].votes[0].outcome is Outcome.CARRIED
    assert after.presence.present == 8
    with pytest.raises(DomainError, match="was convened only at"):
        sittings.sitting_view(uow, sid, t(16))


def test_sittings_of_a_council_newest_first(uow: UnitOfWork, chamber: Chamber) -> None:
    later = sittings.convene_sitting(
        uow,
        council_id=chamber.city.council.id,
        title="Extraordinary sitting",
        day=t(0, day=chamber.sitting.day).date().replace(day=20),
        section_ids=[chamber.city.sections["Soldiers"].id],
        actor=ACTOR,
        at=t(19),
    )
    found = sittings.sittings_of_council(uow, chamber.city.council.id)
    assert [(s.sitting.id, s.where) for s in found] == [
        (later.id, "City Council (Soldiers)"),
        (chamber.sitting.id, "City Council"),
    ]
    assert [
        s.sitting.id for s in sittings.sittings_of_council(uow, chamber.city.council.id, t(18))
    ] == [chamber.sitting.id]
