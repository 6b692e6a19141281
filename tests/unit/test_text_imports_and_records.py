"""A members' import's row errors and "no such record" from the store: English as always
for the API and the CLI, Russian on a Russian page."""

from typing import Any

import pytest

from smolny.domain.errors import NotFound
from smolny.domain.text import say
from smolny.services.imports import Problem
from smolny.store.catalog import RECORD_TABLES
from smolny.store.repository import label, missing
from smolny.web.i18n import speaking, translate


def test_an_import_row_error_is_english_as_before_and_russian_on_a_page() -> None:
    problem = Problem(
        7,
        "faction",
        say("no faction %(name)s (factions: %(known)s)", name=repr("Reds"), known="Left, Right"),
    )
    assert str(problem) == "row 7, column faction: no faction 'Reds' (factions: Left, Right)"
    assert problem.message == "no faction 'Reds' (factions: Left, Right)"
    with speaking("ru"):
        assert translate(problem.said) == (
            "строка 7, столбец faction: фракции 'Reds' нет (фракции: Left, Right)"
        )


@pytest.mark.parametrize("kind", list(RECORD_TABLES))
def test_every_kind_of_record_not_found_is_english_as_before_and_russian(kind: Any) -> None:
    error = NotFound(missing(kind, 12))
    assert error.message == f"{label(kind)} 12 does not exist"
    with speaking("ru"):
        said = translate(error.text)
    assert said != error.message
    assert said.endswith("№ 12 нет")


def test_a_sitting_not_found_in_russian() -> None:
    from smolny.domain.sittings import Sitting

    with speaking("ru"):
        assert translate(missing(Sitting, 12)) == "заседания № 12 нет"
