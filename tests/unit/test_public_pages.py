"""Public pages: the rule (who sees a private organization), and the one check on the
routes, kept in step with docs/public.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts

from smolny.app import create_app
from smolny.domain.visibility import ANONYMOUS, OPERATOR, Sight, Viewer, may_see, sight
from smolny.services.visibility import ORGANIZATION_PARAMETERS
from smolny.settings import Settings
from smolny.web.visibility import require_visible

DOCS = Path(__file__).resolve().parents[2] / "docs" / "public.md"
ROW = re.compile(r"^\| `([A-Z, ]+)` \| `(/[^`]*)` \|", re.MULTILINE)
# Path parameters that name nothing of an organization's record.
# An account is named only under the administrators' pages, which refuse everyone else.
OTHER_PARAMETERS = {"token", "token_id", "name", "account_id"}
# Routes naming an organization that need not take the check: the administrator's pages,
# each of which refuses everyone but the organization's administrators (docs/public.md).
ADMINISTRATORS_ONLY = "/organizations/{organization_id}/admin/"
SKIPPED = ("/static", "/docs", "/openapi.json", "/redoc")


@pytest.fixture(scope="module")
def app() -> FastAPI:
    return create_app(Settings(database_url="sqlite://"))


def routes(app: FastAPI) -> list[tuple[str, frozenset[str], bool]]:
    """(path, methods, checked) of every route of the app."""
    found = []
    for route in iter_route_contexts(app.routes):
        path = route.path
        if path is None or path.startswith(SKIPPED):
            continue
        methods = frozenset((route.methods or set()) - {"HEAD"})
        checked = any(d.dependency is require_visible for d in route.dependencies)
        found.append((path, methods, checked))
    return found


def test_the_organization_sees_its_own_pages_and_others_see_public_ones_only() -> None:
    mine = Viewer(organization_id=1)
    assert sight(ANONYMOUS, 1, public=True) is Sight.SEEN
    assert sight(ANONYMOUS, 1, public=False) is Sight.LOG_IN
    assert sight(mine, 1, public=False) is Sight.SEEN
    assert sight(Viewer(organization_id=2), 1, public=False) is Sight.HIDDEN
    assert sight(Viewer(organization_id=2), 1, public=True) is Sight.SEEN
    assert sight(OPERATOR, 1, public=False) is Sight.SEEN
    assert may_see(mine, 1, public=False)
    assert not may_see(ANONYMOUS, 1, public=False)


def test_docs_list_every_route_the_check_covers(app: FastAPI) -> None:
    covered: dict[str, set[str]] = {}
    for path, methods, checked in routes(app):
        if checked:
            covered.setdefault(path, set()).update(methods)
    listed = {path: set(methods.split(", ")) for methods, path in ROW.findall(DOCS.read_text())}
    missing = {p: m for p, m in covered.items() if listed.get(p) != m}
    extra = {p: m for p, m in listed.items() if p not in covered}
    assert not missing, (
        "routes under the public-pages check that docs/public.md does not list (add a row "
        f"| `METHODS` | `path` |): {missing}"
    )
    assert not extra, f"docs/public.md lists routes that are not under the check: {extra}"


def test_every_route_naming_an_organization_takes_the_check(app: FastAPI) -> None:
    unchecked = sorted(
        path
        for path, _, checked in routes(app)
        if not checked
        and not path.startswith(ADMINISTRATORS_ONLY)
        and set(re.findall(r"{(\w+)}", path)) & set(ORGANIZATION_PARAMETERS)
    )
    assert unchecked == [], (
        "these routes show an organization's record without the public-pages check: "
        "include their router with dependencies=[VisibleDep] (smolny/app.py)"
    )


def test_every_path_parameter_is_one_the_check_can_follow(app: FastAPI) -> None:
    unknown = {
        (path, name)
        for path, _, _ in routes(app)
        for name in re.findall(r"{(\w+)}", path)
        if name not in ORGANIZATION_PARAMETERS and name not in OTHER_PARAMETERS
    }
    assert unknown == set(), (
        "path parameters the public-pages check cannot trace to an organization: teach "
        "smolny.services.visibility._RESOLVERS (or OTHER_PARAMETERS here) about them"
    )


def test_docs_name_every_parameter_the_check_follows() -> None:
    text = DOCS.read_text()
    assert [p for p in ORGANIZATION_PARAMETERS if f"`{p}`" not in text] == []
