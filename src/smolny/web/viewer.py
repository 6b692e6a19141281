"""Who is reading a page or an API answer, and which organizations they may not see.

Pages know the reader by the session (request.state.account, set by the session
middleware); the JSON API reads no cookie and knows the bearer of the operator's token or
of an account's API token. Both are worked out once per request.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request

from smolny.domain.visibility import ANONYMOUS, OPERATOR, Viewer
from smolny.services import accounts, visibility
from smolny.settings import Settings
from smolny.store.uow import UnitOfWork


def uow_of(request: Request) -> UnitOfWork:
    return UnitOfWork(request.app.state.engine)


def is_api(request: Request) -> bool:
    path = request.url.path
    return path == "/api" or path.startswith("/api/")


def viewer_of(request: Request) -> Viewer:
    """The reader: on the pages, the session's account; in the API, the bearer of the
    operator's token or of an account's API token."""
    known: Viewer | None = getattr(request.state, "viewer", None)
    if known is not None:
        return known
    viewer = ANONYMOUS
    if is_api(request):
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        token = token.strip() if scheme.lower() == "bearer" else ""
        settings: Settings = request.app.state.settings
        if (
            token
            and settings.admin_token
            and hmac.compare_digest(token.encode(), settings.admin_token.encode())
        ):
            viewer = OPERATOR
        elif token:
            account = accounts.resolve_api_token(uow_of(request), token)
            if account is not None:
                viewer = Viewer(account.organization_id)
    else:
        signed = getattr(request.state, "account", None)
        if signed is not None:
            viewer = Viewer(signed.organization_id)
    request.state.viewer = viewer
    return viewer


def hidden_organizations(request: Request) -> frozenset[int]:
    """The organizations the reader may not see, for the routes that list several."""
    known: frozenset[int] | None = getattr(request.state, "hidden_organizations", None)
    if known is not None:
        return known
    hidden = visibility.private_organizations(uow_of(request))
    if hidden:  # who reads is asked only when some organization is not public
        viewer = viewer_of(request)
        hidden = frozenset() if viewer.operator else hidden - {viewer.organization_id}
    request.state.hidden_organizations = hidden
    return hidden


HiddenDep = Annotated[frozenset[int], Depends(hidden_organizations)]
