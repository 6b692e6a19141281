"""The one check of public pages: a dependency on every router that shows an
organization's record (pages, downloads and the JSON API; docs/public.md lists the routes).

From the ids in the path it finds the organization the request is about. When that
organization's pages are not public, someone not signed in is sent to the login page
(the API answers 401), someone signed in to another organization gets 404 as if there
were nothing there, and the organization's own accounts and the operator read as before.
Routes that list several organizations (the federation page, /api/organizations,
/api/councils, the ledger) leave out those the reader may not see (smolny.web.viewer).
"""

from __future__ import annotations

from fastapi import Depends, Request

from smolny.domain.errors import DomainError, NotFound
from smolny.domain.visibility import Sight, sight
from smolny.services import visibility
from smolny.web.auth import LoginRequired
from smolny.web.i18n import N_, _
from smolny.web.viewer import is_api, uow_of, viewer_of

NOT_PUBLIC = "this organization's pages are open to its members only"
NOT_FOUND = N_("not found: this organization's pages are open to its members only")


class NotPublic(DomainError):
    """The API's answer to a reader without a token of the organization: send one."""

    code = "unauthorized"


def require_visible(request: Request) -> None:
    """Refuse a request about an organization whose pages the reader may not see."""
    uow = uow_of(request)
    organization_id = visibility.organization_of(uow, request.path_params)
    if organization_id is None:
        return
    if visibility.is_public(uow, organization_id):
        return  # who reads is asked only when it matters (an API token is looked up)
    found = sight(viewer_of(request), organization_id, public=False)
    if found is Sight.SEEN:
        return
    api = is_api(request)
    if found is Sight.HIDDEN:
        raise NotFound(NOT_FOUND if api else _(NOT_FOUND))
    if api:
        raise NotPublic(
            f"{NOT_PUBLIC}: send an API token of one of its accounts (Authorization: Bearer TOKEN)"
        )
    back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    raise LoginRequired(back)


VisibleDep = Depends(require_visible)
