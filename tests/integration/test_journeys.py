"""What the delegate's and the chair's pages read (smolny.services.journeys), on SQLite and
PostgreSQL: a person's sittings, their place in a sitting, who has not voted yet, and that
a secret choice is never read back beside a name."""

from __future__ import annotations

from datetime import UTC, date, datetime

from smolny.domain.rights import Action, Actor
from smolny.domain.sittings import Choice, ItemKind, SittingStatus, VoteMode
from smolny.services import journeys, sittings
from smolny.store.uow import UnitOfWork
from tests.builders_journeys import ACTOR, CHAIR, RECALLED, Works, build_works
from tests.conftest import at

DAY = date(2026, 6, 1)  # the unit of work's clock: noon that day


def t(hour: int, minute: int = 0) -> datetime:
    return datetime(DAY.year, DAY.month, DAY.day, hour, minute, tzinfo=UTC)


def person(works: Works, name: str) -> Actor:
    return Actor(works.organization_id, member_id=works.id(name), account_id=works.id(name))


def test_my_sittings_are_today_s_and_upcoming_of_the_councils_where_i_sit_or_chair(
    uow: UnitOfWork,
) -> None:
    works = build_works(uow, at("2026-04-01"))
    council = works.council.id

    def convene(title: str, day: date, when: datetime) -> int:
        return sittings.convene_sitting(
            uow, council_id=council, title=title, day=day, actor=ACTOR, at=when
        ).id

    past = convene("Past", date(2026, 5, 20), at("2026-05-15"))
    still_open = convene("Still open", date(2026, 5, 25), at("2026-05-20"))
    sittings.open_sitting(uow, sitting_id=still_open, actor=ACTOR, at=at("2026-05-25"))
    today = convene("Today", DAY, at("2026-05-30"))
    coming = convene("Coming", date(2026, 6, 3), at("2026-05-31"))
    later = convene("Not yet convened", date(2026, 6, 9), t(13))  # after the moment asked

    anna = journeys.my_sittings(uow, person(works, CHAIR), t(12))
    assert [m.sitting.id for m in anna] == [still_open, today, coming]
    assert all(m.delegate and m.chair for m in anna)
    assert [m.today for m in anna] == [False, True, False]
    assert anna[0].status is SittingStatus.OPEN
    boris = journeys.my_sittings(uow, person(works, "Boris Popov"), t(12))
    assert [(m.sitting.id, m.delegate, m.chair) for m in boris] == [
        (still_open, True, False),
        (today, True, False),
        (coming, True, False),
    ]
    assert past not in {m.sitting.id for m in boris}
    assert later not in {m.sitting.id for m in boris}
    assert journeys.my_sittings(uow, person(works, RECALLED), t(12)) == []
    administrator = Actor(works.organization_id, administrator=True, account_id=99)
    assert journeys.my_sittings(uow, administrator, t(12)) == []


def test_a_place_in_a_sitting_says_who_has_not_voted_and_never_a_secret_choice(
    uow: UnitOfWork,
) -> None:
    works = build_works(uow, at("2026-04-01"))
    anna, boris, vera = (person(works, n) for n in (CHAIR, "Boris Popov", "Vera Lund"))
    grigory = person(works, RECALLED)
    sid = sittings.convene_sitting(
        uow, council_id=works.council.id, title="Today", day=DAY, actor=ACTOR, at=t(9)
    ).id
    sittings.open_sitting(
        uow,
        sitting_id=sid,
        chair_member_id=anna.member_id,
        actor=anna.ledger_name,
        acting=anna,
        at=t(11),
    )
    for who in (anna, boris, vera):
        assert who.member_id is not None
        sittings.check_in(
            uow,
            sitting_id=sid,
            member_ids=[who.member_id],
            actor=who.ledger_name,
            acting=who,
            at=t(11, 1),
        )
    sittings.add_agenda_item(
        uow,
        sitting_id=sid,
        title="Wages",
        kind=ItemKind.MOTION,
        actor="a",
        acting=anna,
        at=t(11, 2),
    )
    sittings.take_up_item(uow, sitting_id=sid, actor="a", acting=anna, at=t(11, 3))
    sittings.ask_to_speak(
        uow, sitting_id=sid, member_id=works.id("Boris Popov"), actor="b", acting=boris, at=t(11, 4)
    )
    motions = [
        sittings.table_motion(
            uow,
            sitting_id=sid,
            title=title,
            text="Text.",
            by_member_id=works.id("Vera Lund"),
            actor="v",
            acting=vera,
            at=t(11, 5),
        )
        for title in ("Secret one", "Open one")
    ]
    secret = sittings.open_vote(
        uow, motion_id=motions[0].id, mode=VoteMode.SECRET, actor="a", acting=anna, at=t(11, 6)
    )
    sittings.cast_vote(
        uow,
        vote_id=secret.id,
        member_id=works.id("Boris Popov"),
        choice=Choice.AGAINST,
        actor="b",
        acting=boris,
        at=t(11, 7),
    )

    mine = journeys.place(uow, boris, sid)
    assert mine.present
    assert mine.present_since == t(11, 1)
    assert mine.on_list == "waiting"
    assert mine.vote is not None
    assert mine.vote.secret
    assert mine.vote.voted_at == t(11, 7)
    assert mine.vote.choice is None  # not recorded beside the name: nothing to read back
    assert mine.vote.not_voted == [CHAIR, "Vera Lund"]
    assert (mine.vote.state.voted, mine.vote.state.present) == (1, 3)
    assert mine.may(Action.VOTE_ON_MOTION)
    assert not mine.may(Action.OPEN_VOTE)
    assert "Boris Popov holds no office of Works Council with the power chair" in mine.why_not(
        Action.CLOSE_VOTE
    )
    chair = journeys.place(uow, anna, sid)
    assert chair.may(Action.CLOSE_VOTE)
    assert chair.vote is not None
    assert chair.vote.voted_at is None
    assert chair.vote.not_voted == [CHAIR, "Vera Lund"]
    assert chair.waiting_motions == [chair.view.motion(motions[1].id)]
    recalled = journeys.place(uow, grigory, sid)
    assert not recalled.present
    assert not recalled.may(Action.CHECK_IN)
    assert recalled.why_not(Action.CHECK_IN) == (
        "Grigory Sokol's mandate in Works Council ended on 2026-04-11 (recall): "
        "Grigory Sokol can no longer check in there"
    )

    sittings.close_vote(uow, vote_id=secret.id, actor="a", acting=anna, at=t(11, 8))
    roll_call = sittings.open_vote(
        uow, motion_id=motions[1].id, mode=VoteMode.ROLL_CALL, actor="a", acting=anna, at=t(11, 9)
    )
    sittings.cast_vote(
        uow,
        vote_id=roll_call.id,
        member_id=works.id("Vera Lund"),
        choice=Choice.AGAINST,
        actor="v",
        acting=vera,
        at=t(11, 10),
    )
    hers = journeys.place(uow, vera, sid)
    assert hers.vote is not None
    assert hers.vote.choice is Choice.AGAINST
    assert [v.vote.id for v in hers.closed_votes] == [secret.id]
    assert hers.closed_votes[0].names is None  # a secret vote has no names by choice
    assert journeys.place(uow, boris, sid).vote.choice is None  # type: ignore[union-attr]


def test_the_ledger_head_and_the_organizations_changed_since(uow: UnitOfWork) -> None:
    works = build_works(uow, at("2026-04-01"))
    head = journeys.ledger_head(uow)
    assert journeys.changed_organizations(uow, head) == (head, set())
    sittings.convene_sitting(
        uow, council_id=works.council.id, title="Today", day=DAY, actor=ACTOR, at=t(9)
    )
    assert journeys.changed_organizations(uow, head) == (head + 1, {works.organization_id})


def test_a_delegate_voting_on_an_amendment_sees_its_motion_and_their_faction_s_line(
    uow: UnitOfWork,
) -> None:
    works = build_works(uow, at("2026-04-01"))
    anna, boris, vera = (person(works, n) for n in (CHAIR, "Boris Popov", "Vera Lund"))
    sid = sittings.convene_sitting(
        uow, council_id=works.council.id, title="Today", day=DAY, actor=ACTOR, at=t(9)
    ).id
    sittings.open_sitting(uow, sitting_id=sid, actor="a", acting=anna, at=t(10))
    for who in (anna, boris, vera):
        assert who.member_id is not None
        sittings.check_in(
            uow, sitting_id=sid, member_ids=[who.member_id], actor="x", acting=who, at=t(10, 1)
        )
    motion = sittings.table_motion(
        uow,
        sitting_id=sid,
        title="A shorter week",
        text="Forty hours.",
        by_member_id=works.id("Vera Lund"),
        actor="v",
        acting=vera,
        at=t(10, 2),
    )
    amendment = sittings.amend_motion(
        uow,
        motion_id=motion.id,
        title="Thirty-six hours",
        text="Thirty-six hours.",
        by_member_id=works.id("Boris Popov"),
        actor="b",
        acting=boris,
        at=t(10, 3),
    )
    left = works.members["Boris Popov"].faction_id
    assert left is not None
    sittings.adopt_line(
        uow, motion_id=amendment.id, faction_id=left, line=Choice.FOR, actor="Left", at=t(10, 4)
    )
    sittings.open_vote(
        uow, motion_id=amendment.id, mode=VoteMode.ROLL_CALL, actor="a", acting=anna, at=t(10, 5)
    )

    his = journeys.place(uow, boris, sid).vote
    assert his is not None
    assert (his.amends, his.faction, his.line) == ("A shorter week", "Left", Choice.FOR)
    hers = journeys.place(uow, vera, sid).vote  # the Right adopted no line
    assert hers is not None
    assert (hers.amends, hers.faction, hers.line) == ("A shorter week", "Right", None)
