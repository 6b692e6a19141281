"""The pages' languages: gettext catalogues, the language of a request, and dates and
numbers formatted for it.

English is the source language: the text in the templates and in the code is English, and
src/smolny/locale/<lang>/LC_MESSAGES/smolny.po holds each other language. The catalogues are
compiled from the .po files in memory the first time a language is used (so a fresh clone
needs no build step, and a compiled file can never lag behind its source).

A request's language: `?lang=ru` (which also sets the `smolny_lang` cookie), else that
cookie, else the signed-in account's language, else the browser's Accept-Language, else
English. The language lives in a context variable for the request: the templates' `_()`
and `{% trans %}`, and `_()` in the code, read it.
"""

from __future__ import annotations

import gettext as gettext_module
import io
import re
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from fastapi import FastAPI, Request
from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from smolny.domain.text import LongDay, Moment, Text, Value

LANGUAGES = {"en": "English", "ru": "Русский"}  # code: the language's name in itself
SOURCE = "en"
COOKIE = "smolny_lang"
COOKIE_AGE = 365 * 24 * 3600
DOMAIN = "smolny"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
# How a day is written. English keeps ISO 8601 (the pages' English since the start: short
# and unambiguous); other languages use their long form ("25 октября 1917 г.").
DATE_FORMATS = {"en": "yyyy-MM-dd"}
DATETIME_FORMATS = {"en": "%Y-%m-%d %H:%M"}  # strftime: the moment as recorded, no zone

_language: ContextVar[str] = ContextVar("smolny_language", default=SOURCE)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


# -- the catalogues ------------------------------------------------------------------------


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(language: str) -> gettext_module.NullTranslations:
    """The language's catalogue, compiled from its .po file (English: the text as written)."""
    source = po_path(language)
    if language == SOURCE or not source.exists():
        return gettext_module.NullTranslations()
    with source.open("rb") as po:
        catalog = read_po(po, locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)  # fuzzy entries are left out: they read as English
    compiled.seek(0)
    return gettext_module.GNUTranslations(compiled)


def current() -> str:
    """The language of the request being answered (English outside a request)."""
    return _language.get()


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Within the block, text and formats are in the language (for work outside a request:
    the command line's printed minutes, the tests)."""
    token = _language.set(language if language in LANGUAGES else SOURCE)
    try:
        yield
    finally:
        _language.reset(token)


def gettext(message: str) -> str:
    return translations(current()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return translations(current()).pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return translations(current()).npgettext(context, singular, plural, n)


_ = gettext


def N_(message: str) -> str:  # noqa: N802 (gettext's name for "mark, translate later")
    """Marks a text for the catalogue where it is defined; `_()` translates it where shown."""
    return message


# -- the language of a request -------------------------------------------------------------

_RANGE = re.compile(r"^\s*([A-Za-z]{1,8})(?:-[A-Za-z0-9]{1,8})*\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*$")


def supported(code: str | None) -> str | None:
    """The supported language a code names ("ru", "ru-RU", "RU"), or None."""
    if not code:
        return None
    primary = code.strip().split("-")[0].split("_")[0].lower()
    return primary if primary in LANGUAGES else None


def from_accept_language(header: str | None) -> str | None:
    """The supported language the browser prefers most (by q, then by order), or None."""
    best: tuple[float, int, str] | None = None
    for position, item in enumerate((header or "").split(",")):
        found = _RANGE.match(item)
        if not found:
            continue
        try:
            q = float(found.group(2)) if found.group(2) is not None else 1.0
        except ValueError:
            continue
        language = supported(found.group(1))
        if language is None or q <= 0:
            continue
        if best is None or (q, -position) > (best[0], best[1]):
            best = (q, -position, language)
    return best[2] if best else None


def negotiate(
    *,
    asked: str | None,
    cookie: str | None,
    account: str | None,
    accept_language: str | None,
) -> str:
    """The language of a request, by the first that names a supported language: the
    `lang` parameter, the cookie, the account's choice, the browser's preference."""
    for choice in (asked, cookie, account):
        language = supported(choice)
        if language:
            return language
    return from_accept_language(accept_language) or SOURCE


def request_language(request: Request) -> str:
    account = getattr(request.state, "account", None)
    return negotiate(
        asked=request.query_params.get("lang"),
        cookie=request.cookies.get(COOKIE),
        account=getattr(account, "language", None),
        accept_language=request.headers.get("accept-language"),
    )


class LanguageMiddleware:
    """Sets the request's language (after the session middleware has found the account),
    keeps a `?lang=` choice in the cookie, and says the language in Content-Language."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or path.startswith(("/static/", "/api/")) or path == "/api":
            await self.app(scope, receive, send)  # the JSON API and the files speak no language
            return
        request = Request(scope)
        language = request_language(request)
        chosen = supported(request.query_params.get("lang"))
        keep = chosen is not None and chosen != request.cookies.get(COOKIE)
        secure = bool(getattr(scope["app"].state.settings, "secure_cookies", False))
        scope.setdefault("state", {})["language"] = language

        async def send_with_language(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"content-language", language.encode()))
                headers.append((b"vary", b"Accept-Language, Cookie"))
                if keep:
                    cookie = f"{COOKIE}={chosen}; Path=/; Max-Age={COOKIE_AGE}; SameSite=Lax"
                    headers.append(
                        (b"set-cookie", (cookie + ("; Secure" if secure else "")).encode())
                    )
                message["headers"] = headers
            await send(message)

        token = _language.set(language)
        try:
            await self.app(scope, receive, send_with_language)
        finally:
            _language.reset(token)


def install(app: FastAPI) -> None:
    """Call before the session middleware is added: that one then runs first (outside),
    and the account's language is known here."""
    app.add_middleware(LanguageMiddleware)


# -- dates and numbers ---------------------------------------------------------------------


def format_day(value: date | datetime | None) -> str:
    """A day in the language: 1917-10-25 in English, "25 октября 1917 г." in Russian."""
    if value is None:
        return ""
    day = value.date() if isinstance(value, datetime) else value
    language = current()
    return format_date(day, format=DATE_FORMATS.get(language, "long"), locale=language)


def format_moment(value: datetime | None) -> str:
    """A moment to the minute, in the language (1917-10-25 14:05; 25 октября 1917 г., 14:05)."""
    if value is None:
        return ""
    language = current()
    if language in DATETIME_FORMATS:
        return value.strftime(DATETIME_FORMATS[language])
    return f"{format_day(value)}, {value:%H:%M}"


def format_number(value: float | int | None, decimals: int | None = None) -> str:
    """A count or a measure with the language's separators (1,234.5; 1 234,5)."""
    if value is None:
        return ""
    language = current()
    if decimals is not None:
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        # Half up, as people round (12.345 -> 12.35); Babel would round half to even.
        exact = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        return format_decimal(exact, format=pattern, locale=language)
    return format_decimal(value, locale=language)


def format_share(value: float | None, decimals: int = 0) -> str:
    """A share (0.5) as a percentage in the language (50%; 50 %)."""
    if value is None:
        return ""
    language = current()
    pattern = Locale.parse(language).percent_formats[None].pattern
    if decimals:
        pattern = pattern.replace("0", "0." + "0" * decimals, 1)
    return format_percent(value, format=pattern, locale=language)


def full_stop(text: str) -> str:
    """The sentence with its full stop, unless it ends with one already: a Russian date
    ends with "г." ("25 октября 1917 г."), and no sentence ends with two."""
    bare = re.sub(r"<[^>]*>", "", str(text)).rstrip()
    if bare.endswith("."):
        return text
    return text + "."


def sentence(text: str) -> str:
    """A reason told as a sentence of its own (after "You cannot vote."): a capital first
    letter and a full stop. The engine writes reasons to follow a colon, in lower case."""
    raw = str(text)
    capital = raw[:1].upper() + raw[1:]
    return full_stop(Markup(capital) if isinstance(text, Markup) else capital)


# -- what the engine says ------------------------------------------------------------------


def translate(said: Text | str) -> str:
    """A sentence of the engine (a refusal's reason, an error's message) in the request's
    language: its template from the catalogue (English when the catalogue lacks it), its
    values as the language writes them (days, moments, counts, and the texts inside it,
    translated in turn). A plain str is said as it is (English, or already translated)."""
    if not isinstance(said, Text):
        return said
    values = {name: _value(value) for name, value in said.values}
    template = gettext(said.template)
    try:
        return template % values
    except (KeyError, TypeError, ValueError):  # a translation that lost a placeholder
        return said.template % values


def _value(value: Value) -> str:
    if isinstance(value, Text):
        return translate(value)
    if isinstance(value, LongDay):
        return format_day(value.day)
    if isinstance(value, Moment):
        return format_moment(value.at)
    if isinstance(value, (date, datetime)):
        return format_day(value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return format_number(value)
    return value


# -- the templates -------------------------------------------------------------------------


@pass_context
def language_url(context: Context, language: str) -> str:
    """This page's address in another language (its other parameters kept)."""
    request: Request | None = context.get("request")
    if request is None:
        return f"?lang={language}"
    query = [(k, v) for k, v in parse_qsl(request.url.query, keep_blank_values=True) if k != "lang"]
    return request.url.path + "?" + urlencode([*query, ("lang", language)])


def setup(env: Environment) -> None:
    """gettext in the templates (`_()`, `{% trans %}`, ngettext), the language's name, and
    the filters `date`, `moment`, `number`, `percent`."""
    env.add_extension("jinja2.ext.i18n")
    env.policies["ext.i18n.trimmed"] = True  # {% trans %} text is one line, as extracted
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext, ngettext, newstyle=True, pgettext=pgettext, npgettext=npgettext
    )
    env.globals.update(language=current, LANGUAGES=LANGUAGES, language_url=language_url)
    from smolny.web import words  # words.py uses this module's N_

    env.filters.update(
        date=format_day,
        moment=format_moment,
        number=format_number,
        percent=format_share,
        stop=full_stop,
        sentence=sentence,
        translate=translate,
        word=words.word,
        change_text=words.change_text,
        log_text=words.log_text,
        who_signs=words.who_signs,
        recall_rule_text=words.recall_rule_text,
        recorded_rule_text=words.recorded_rule_text,
    )
