"""The catalogues are in step with the text: every message of the templates, the page
code and what the engine says with `say()` (extracted as `make messages` does) has its
Russian, in every plural form, with the same placeholders, and the catalogue compiles."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from smolny.web import i18n

ROOT = Path(__file__).parents[2]
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "N_": None,
    "say": None,
    "_p": ((1, "c"), 2),
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
}


def extracted() -> Catalog:
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    catalog = Catalog()
    for filename, line, message, comments, context in extract_from_dir(
        ROOT, method_map, options_map, keywords=KEYWORDS
    ):
        catalog.add(message, None, [(filename, line)], auto_comments=comments, context=context)
    return catalog


def catalogue(language: str) -> Catalog:
    with i18n.po_path(language).open("rb") as po:
        return read_po(po, locale=language, domain=i18n.DOMAIN)


def key(message: Message) -> tuple[str, str | None]:
    ident = message.id[0] if isinstance(message.id, (list, tuple)) else message.id
    return ident, message.context


@pytest.mark.parametrize("language", [code for code in i18n.LANGUAGES if code != i18n.SOURCE])
def test_every_message_has_its_translation(language: str) -> None:
    source = extracted()
    assert len(source) > 30  # the extraction found the pages' text
    translated = {key(m): m for m in catalogue(language) if m.id}
    missing, empty = [], []
    for message in source:
        if not message.id:
            continue
        found = translated.get(key(message))
        if found is None:
            missing.append(f"{message.id!r} ({message.locations[0][0]})")
            continue
        forms = found.string if isinstance(found.string, (list, tuple)) else [found.string]
        plural = isinstance(message.id, (list, tuple))
        if plural != isinstance(found.id, (list, tuple)) or not all(forms) or found.fuzzy:
            empty.append(repr(message.id))
    assert not missing, "not in the catalogue (run `make messages`):\n" + "\n".join(missing)
    assert not empty, "no translation, or fuzzy, or not plural:\n" + "\n".join(empty)


@pytest.mark.parametrize("language", [code for code in i18n.LANGUAGES if code != i18n.SOURCE])
def test_the_translations_keep_the_placeholders_and_compile(language: str) -> None:
    catalog = catalogue(language)
    problems = [f"{m.id!r}: {errors}" for m, errors in catalog.check() if errors]
    assert not problems, "\n".join(problems)
    assert catalog.num_plurals == (3 if language == "ru" else catalog.num_plurals)
    assert i18n.translations(language).gettext("Federation") != "Federation"


def test_no_text_is_translated_inside_an_f_string() -> None:
    """Babel does not look inside f-strings (before Python 3.12): a `_()` there never
    reaches the catalogue, and the page shows English."""
    calls = {"_", "gettext", "ngettext", "pgettext", "npgettext", "N_", "_p"}
    hidden = []
    for path in sorted((ROOT / "src" / "smolny" / "web").glob("**/*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.JoinedStr):
                continue
            for inner in ast.walk(node):
                if (
                    isinstance(inner, ast.Call)
                    and isinstance(inner.func, ast.Name)
                    and inner.func.id in calls
                ):
                    hidden.append(f"{path.relative_to(ROOT)}:{inner.lineno}")
    assert not hidden, "move these out of their f-strings:\n" + "\n".join(hidden)
