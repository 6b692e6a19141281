"""Dependencies of the routes, as Annotated aliases."""

from __future__ import annotations

import hmac
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Header, Query, Request

from smolny.domain.errors import DomainError, Forbidden, InvalidInput
from smolny.moments import EXPECTED, parse_moment
from smolny.services.accounts import api_actor
from smolny.settings import Settings
from smolny.store.uow import UnitOfWork


class Unauthorized(DomainError):
    code = "unauthorized"


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_uow(request: Request) -> UnitOfWork:
    return UnitOfWork(request.app.state.engine)


def require_admin(
    request: Request,
    settings: Annotated[Settings, Depends(get_settings)],
    authorization: Annotated[str | None, Header()] = None,
) -> str:
    """The actor of a changing request: the holder of the operator's token, or an
    administrator's API token acting in its own organization (see docs/accounts.md)."""
    scheme, _, token = (authorization or "").partition(" ")
    token = token.strip() if scheme.lower() == "bearer" else ""
    if (
        token
        and settings.admin_token
        and hmac.compare_digest(token.encode(), settings.admin_token.encode())
    ):
        return "api:admin"
    if token:
        actor = api_actor(get_uow(request), token, request.path_params)
        if actor is not None:
            return actor
    if not settings.admin_token:
        raise Forbidden(
            "the API is read-only here: set SMOLNY_ADMIN_TOKEN to allow changes, or send an "
            "administrator's API token"
        )
    raise Unauthorized("send the administrator's token: Authorization: Bearer TOKEN")


def moment(
    at: Annotated[str | None, Query(description=f"As of this moment: {EXPECTED}.")] = None,
) -> datetime | None:
    if at is None or not at.strip():
        return None
    try:
        return parse_moment(at)
    except ValueError as error:
        raise InvalidInput(str(error), field="at") from None


SettingsDep = Annotated[Settings, Depends(get_settings)]
UowDep = Annotated[UnitOfWork, Depends(get_uow)]
AdminDep = Annotated[str, Depends(require_admin)]
AtDep = Annotated[datetime | None, Depends(moment)]
