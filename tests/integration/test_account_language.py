"""An account's language for the pages, on SQLite and PostgreSQL: chosen, cleared,
refused when it is no language code, and known to the session that signs in with it."""

from __future__ import annotations

import pytest

from smolny.domain.errors import InvalidInput, NotFound
from smolny.services import accounts
from smolny.store.uow import UnitOfWork
from tests.builders import build_city

PASSWORD = "correct horse battery"


def test_the_account_keeps_its_language_and_the_session_knows_it(uow: UnitOfWork) -> None:
    city = build_city(uow)
    account, token = accounts.create_administrator(
        uow, organization_id=city.organization.id, login="secretary"
    )
    accounts.accept_invitation(uow, token=token, password=PASSWORD)
    assert account.language is None  # the browser's choice until the person chooses

    assert accounts.set_language(uow, account_id=account.id, language="ru").language == "ru"
    signed_in = accounts.log_in(uow, login="secretary", password=PASSWORD, address="test")
    session = accounts.resolve_session(uow, signed_in.token)
    assert session is not None
    assert session.account.language == "ru"

    assert accounts.set_language(uow, account_id=account.id, language=None).language is None
    assert accounts.account_by_login(uow, "secretary").language is None


@pytest.mark.parametrize("code", ["", "RU", "ru-RU", "r", "русский", "ru; drop table"])
def test_a_language_is_a_code_of_letters(uow: UnitOfWork, code: str) -> None:
    city = build_city(uow)
    account, _ = accounts.create_administrator(
        uow, organization_id=city.organization.id, login="secretary"
    )
    with pytest.raises(InvalidInput, match="is not a language code"):
        accounts.set_language(uow, account_id=account.id, language=code)
    assert accounts.account_by_login(uow, "secretary").language is None


def test_no_account_no_language(uow: UnitOfWork) -> None:
    with pytest.raises(NotFound):
        accounts.set_language(uow, account_id=999, language="ru")
