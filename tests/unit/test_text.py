"""What the engine says: English as always for the API and the CLI, and the page's language
on the pages (the template from the catalogue, the values written as the language writes
them, the texts inside translated in turn)."""

from datetime import UTC, date, datetime
from typing import Any

import pytest

from smolny.domain.accounts import wait_said
from smolny.domain.ballots import (
    BallotKind,
    Marks,
    MemberBallot,
    RecallChoice,
    closing_refusal,
    slip_text,
)
from smolny.domain.elections import ElectionMethod
from smolny.domain.errors import Forbidden, InvalidInput, RuleViolation
from smolny.domain.rights import VERBS, Action
from smolny.domain.text import LongDay, Moment, Text, say
from smolny.web.i18n import speaking, translate

ENDED = datetime(2026, 4, 14, 9, 30, tzinfo=UTC)


def refusal() -> Text:
    fact = say(
        "%(who)s's mandate in %(body)s ended on %(day)s (%(how)s)",
        who="Ana Berg",
        body="City Council",
        day=ENDED,
        how=say("recall"),
    )
    return say(
        "%(fact)s: %(who)s %(modal)s %(verb)s there",
        fact=fact,
        who="Ana Berg",
        modal=say("can no longer"),
        verb=VERBS[Action.CHECK_IN],
    )


def test_the_english_is_the_sentence_as_the_engine_always_wrote_it() -> None:
    assert str(refusal()) == (
        "Ana Berg's mandate in City Council ended on 2026-04-14 (recall): "
        "Ana Berg can no longer check in there"
    )
    assert str(
        say("the %(council)s sitting of %(day)s", council="Mill", day=LongDay(date(2026, 4, 20)))
    ) == ("the Mill sitting of 20 April 2026")
    assert str(say("100%% of %(n)s", n=12)) == "100% of 12"


def test_an_error_keeps_its_english_message_and_the_text_to_translate() -> None:
    error = Forbidden(refusal())
    assert str(error) == error.message == str(refusal())
    assert error.text == refusal()
    plain = RuleViolation("the sitting is closed")
    assert plain.text == plain.message == "the sitting is closed"


def test_a_russian_page_says_it_in_russian_with_the_values_in_russian() -> None:
    with speaking("ru"):
        said = translate(refusal())
    assert said == (
        "мандат в органе «City Council» (Ana Berg) прекращён 14 апреля 2026\u202fг. (отзыв): "
        "Ana Berg больше не может отметиться о присутствии там"
    )
    with speaking("ru"):
        assert translate(
            say("%(first)s and %(second)s", first="a", second=say("can no longer"))
        ) == ("a и больше не может")


def test_an_english_page_and_an_unknown_template_say_the_english() -> None:
    with speaking("en"):
        assert translate(refusal()) == str(refusal())
    with speaking("ru"):
        unknown = say("%(who)s has %(n)s seats", who="Mill", n=1234)
        assert translate(unknown) == "Mill has 1\xa0234 seats"
        assert translate("already translated") == "already translated"


def ballot(**changes: object) -> MemberBallot:
    fields: dict[str, Any] = {
        "id": 1,
        "organization_id": 1,
        "council_id": 1,
        "constituency_id": 1,
        "kind": BallotKind.ELECTION,
        "title": "Election of 2 delegates of Mill to City Council",
        "method": ElectionMethod.PLURALITY,
        "seats": 2,
        "candidate_ids": (3, 4, 5),
        "mandate_id": None,
        "petition_id": None,
        "opened_at": datetime(2026, 11, 27, 15, 10, tzinfo=UTC),
        "closes_at": datetime(2026, 12, 4, 15, 10, tzinfo=UTC),
    }
    return MemberBallot(**(fields | changes))


def test_a_ballot_that_cannot_close_yet_says_until_when_to_the_minute() -> None:
    early = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
    said = closing_refusal(ballot(), early, 0, 5)
    assert said is not None
    english = (
        "ballot 1 is open until 2026-12-04 15:10 UTC and 0 of 5 electors have voted: it closes "
        "when its period ends, or once every elector has voted"
    )
    assert str(said) == english
    with speaking("en"):
        assert translate(said) == english
    with speaking("ru"):
        assert translate(said) == (
            "голосование № 1 открыто до 4 декабря 2026\u202fг., 15:10 UTC, проголосовали 0 из 5 "
            "избирателей: оно закрывается, когда истекает срок или когда проголосуют все "
            "избиратели"
        )
    closed = ballot(closed_at=datetime(2026, 12, 1, 8, 5, tzinfo=UTC))
    with speaking("ru"):
        assert translate(closing_refusal(closed, early, 5, 5) or "") == (
            "голосование № 1 закрыто 1 декабря 2026\u202fг., 08:05 UTC"
        )


def test_a_moment_in_english_is_as_recorded_or_in_full_iso() -> None:
    at = datetime(2026, 4, 14, 9, 30, tzinfo=UTC)
    assert str(say("until %(moment)s UTC", moment=Moment(at))) == "until 2026-04-14 09:30 UTC"
    assert str(say("on %(moment)s", moment=Moment(at, iso=True))) == (
        "on 2026-04-14T09:30:00+00:00"
    )


def test_a_refusal_with_a_word_inside_says_the_word_in_the_language() -> None:
    refused = ballot(kind=BallotKind.BY_ELECTION)
    with pytest.raises(InvalidInput) as error:
        slip_text(refused, Marks(recall=RecallChoice.FOR))
    assert error.value.message == "this is an by-election, not a recall"
    with speaking("ru"):
        assert translate(error.value.text) == "это довыборы, а не отзыв"


def test_a_login_refusal_says_how_long_to_wait_in_the_language() -> None:
    said = say("too many failed logins: try again in %(wait)s", wait=wait_said(840))
    assert str(said) == "too many failed logins: try again in 14 minutes"
    with speaking("ru"):
        assert translate(said) == (
            "слишком много неудачных попыток входа: попробуйте снова через 14 мин"
        )
