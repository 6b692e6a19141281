"""What the engine says: English as always for the API and the CLI, and the page's language
on the pages (the template from the catalogue, the values written as the language writes
them, the texts inside translated in turn)."""

from datetime import UTC, date, datetime

from smolny.domain.errors import Forbidden, RuleViolation
from smolny.domain.rights import VERBS, Action
from smolny.domain.text import LongDay, Text, say
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
