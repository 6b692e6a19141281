"""A sitting of one section of a large soviet, as the 1917 replays will run them: 460
workers' delegates checked in at once, a faction walkout, and the totals of a show of hands
("279 for, 115 against, 51 abstaining") entered by the chair; the soldiers' delegates have
no seat in the workers' section's sitting."""

from __future__ import annotations

import pytest

from smolny.domain.errors import RuleViolation
from smolny.domain.sittings import Outcome, VoteMode
from smolny.services import sittings
from smolny.services.verify import verify_ledger
from smolny.store.uow import UnitOfWork
from tests.builders import ACTOR
from tests.builders_sittings import SOVIET_DAY, build_soviet, soviet_time


def test_a_workers_section_sitting_with_a_walkout_and_totals_entered(uow: UnitOfWork) -> None:
    soviet = build_soviet(uow)
    sitting = sittings.convene_sitting(
        uow,
        council_id=soviet.council.id,
        title="Sitting of the workers' section",
        day=SOVIET_DAY,
        section_ids=[soviet.sections["Workers"]],
        actor=ACTOR,
        at=soviet_time(17),
    )
    sittings.open_sitting(uow, sitting_id=sitting.id, actor=ACTOR, at=soviet_time(18))
    stays = sittings.check_in(
        uow, sitting_id=sitting.id, everyone=True, actor=ACTOR, at=soviet_time(18, 5)
    )
    assert len(stays) == 460
    soldier = soviet.members["Guards Regiment"][0]
    with pytest.raises(RuleViolation, match="sits in the Soldiers section"):
        sittings.check_in(
            uow, sitting_id=sitting.id, member_ids=[soldier.id], actor=ACTOR, at=soviet_time(18, 6)
        )
    view = sittings.sitting_view(uow, sitting.id, soviet_time(18, 6))
    assert (view.presence.present, view.presence.seated, view.presence.needed) == (460, 460, 231)
    assert {f.name: (f.present, f.seated) for f in view.factions} == {
        "Bolsheviks": (280, 280),
        "Mensheviks": (110, 110),
        "SRs": (70, 70),
    }

    # The compromise parties walk out; the Bolsheviks alone keep the quorum.
    walkout = sittings.walk_out(
        uow,
        sitting_id=sitting.id,
        faction_ids=[soviet.factions["Mensheviks"], soviet.factions["SRs"]],
        statement="We refuse to take part in this sitting.",
        actor=ACTOR,
        at=soviet_time(19),
    )
    assert len(walkout.member_ids) == 180
    view = sittings.sitting_view(uow, sitting.id, soviet_time(19))
    assert (view.presence.present, view.presence.quorate) == (280, True)

    # They come back for the evening's vote; the chair enters the show of hands.
    sittings.check_in(
        uow,
        sitting_id=sitting.id,
        faction_ids=[soviet.factions["Mensheviks"], soviet.factions["SRs"]],
        actor=ACTOR,
        at=soviet_time(22),
    )
    motion = sittings.table_motion(
        uow,
        sitting_id=sitting.id,
        title="On power",
        text="A government of workers and peasants.",
        by_faction_id=soviet.factions["Bolsheviks"],
        actor=ACTOR,
        at=soviet_time(23),
    )
    vote = sittings.record_totals(
        uow, motion_id=motion.id, yes=279, no=115, abstain=51, actor=ACTOR, at=soviet_time(23, 50)
    )
    assert vote.mode is VoteMode.SHOW_OF_HANDS
    assert (vote.outcome, vote.yes, vote.no, vote.abstain) == (Outcome.CARRIED, 279, 115, 51)
    assert (vote.present, vote.seated, vote.quorum_needed, vote.required) == (460, 460, 231, 198)
    sittings.close_sitting(uow, sitting_id=sitting.id, actor=ACTOR, at=soviet_time(23, 59))

    markdown = sittings.minutes_markdown(sittings.minutes(uow, sitting.id))
    assert "City Soviet (Workers), sitting of 1917-08-31." in markdown
    assert "**carried, 279 for, 115 against, 51 abstaining (needed 198 for)**" in markdown
    assert "walkout of the Mensheviks, SRs (180 delegates" in markdown
    assert "| 19:00 | 280 | 460 | 231 | yes |" in markdown
    assert "| 22:00 | 460 | 460 | 231 | yes |" in markdown
    assert verify_ledger(uow).ok
