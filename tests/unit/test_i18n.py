"""Languages: which language a request gets, Russian plural forms, dates and numbers."""

from datetime import UTC, date, datetime

import pytest
from jinja2 import DictLoader, Environment

from smolny.web import i18n
from smolny.web.i18n import format_day, format_moment, format_number, format_share, speaking


def test_the_parameter_comes_before_the_cookie_the_account_and_the_browser() -> None:
    every = {"asked": "ru", "cookie": "en", "account": "en", "accept_language": "en"}
    assert i18n.negotiate(**every) == "ru"
    assert i18n.negotiate(**every | {"asked": None}) == "en"
    assert i18n.negotiate(**every | {"asked": None, "cookie": "ru"}) == "ru"
    assert i18n.negotiate(asked=None, cookie=None, account="ru", accept_language="en") == "ru"
    assert i18n.negotiate(asked=None, cookie=None, account=None, accept_language="ru") == "ru"
    assert i18n.negotiate(asked=None, cookie=None, account=None, accept_language=None) == "en"


def test_a_language_not_offered_passes_the_choice_to_the_next() -> None:
    assert i18n.negotiate(asked="fr", cookie="xx", account="de", accept_language="ru") == "ru"
    assert i18n.negotiate(asked="", cookie="", account=None, accept_language="fr, de") == "en"
    assert i18n.negotiate(asked="RU-ru", cookie=None, account=None, accept_language=None) == "ru"


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7", "ru"),
        ("en-US,en;q=0.9,ru;q=0.8", "en"),
        ("fr-FR, ru;q=0.5, en;q=0.4", "ru"),
        ("en;q=0.3, ru;q=0.6", "ru"),
        ("ru;q=0, en;q=0.1", "en"),
        ("de, fr", None),
        ("*", None),
        ("", None),
        ("ru;q=abc, en", "en"),
        ("uk, ru", "ru"),
    ],
)
def test_the_browsers_preference_by_weight_then_order(header: str, language: str | None) -> None:
    assert i18n.from_accept_language(header) == language


@pytest.mark.parametrize(
    ("n", "said"),
    [
        (1, "1 член"),
        (2, "2 члена"),
        (4, "4 члена"),
        (5, "5 членов"),
        (11, "11 членов"),
        (12, "12 членов"),
        (14, "14 членов"),
        (21, "21 член"),
        (22, "22 члена"),
        (25, "25 членов"),
        (101, "101 член"),
        (111, "111 членов"),
        (0, "0 членов"),
    ],
)
def test_russian_has_three_plural_forms(n: int, said: str) -> None:
    with speaking("ru"):
        assert i18n.ngettext("%(num)s member", "%(num)s members", n) % {"num": n} == said
    with speaking("en"):
        english = i18n.ngettext("%(num)s member", "%(num)s members", n) % {"num": n}
        assert english == f"{n} member" + ("" if n == 1 else "s")


def test_the_templates_speak_the_language_of_the_moment() -> None:
    env = Environment(
        loader=DictLoader(
            {
                "page": '<html lang="{{ language() }}">{{ _("Federation") }} · '
                "{{ ngettext('%(num)s member', '%(num)s members', n) }} · {{ day|date }}"
            }
        ),
        autoescape=True,
    )
    i18n.setup(env)
    page = env.get_template("page")
    day = date(1917, 10, 25)
    assert page.render(n=3, day=day) == '<html lang="en">Federation · 3 members · 1917-10-25'
    with speaking("ru"):
        assert (
            page.render(n=3, day=day)
            == '<html lang="ru">Федерация · 3 члена · 25 октября 1917\u202fг.'
        )
    assert i18n.current() == "en"  # the block ended: back to the source language


def test_dates_and_moments_in_each_language() -> None:
    # Babel writes "г." after a narrow no-break space (U+202F): the year never ends a line.
    moment = datetime(1917, 10, 25, 14, 5, tzinfo=UTC)
    assert format_day(moment) == "1917-10-25"
    assert format_moment(moment) == "1917-10-25 14:05"
    with speaking("ru"):
        assert format_day(moment) == "25 октября 1917\u202fг."
        assert format_day(date(1917, 3, 1)) == "1 марта 1917\u202fг."
        assert format_moment(moment) == "25 октября 1917\u202fг., 14:05"
    assert format_day(None) == format_moment(None) == ""


def test_numbers_and_shares_in_each_language() -> None:
    assert format_number(1234567) == "1,234,567"
    assert format_number(2.5, decimals=2) == "2.50"
    assert format_share(0.523) == "52%"
    assert format_share(0.5234, 1) == "52.3%"
    with speaking("ru"):
        assert format_number(1234567) == "1\xa0234\xa0567"
        assert format_number(2.5, decimals=2) == "2,50"
        assert format_share(0.523) == "52\xa0%"
        assert format_share(0.5234, 1) == "52,3\xa0%"


def test_an_unknown_language_speaks_english() -> None:
    with speaking("xx"):
        assert i18n.current() == "en"
        assert i18n.gettext("Federation") == "Federation"
