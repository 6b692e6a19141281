"""The administrator's page where an organization chooses whether its pages are public.

`GET /organizations/{id}/admin/public` shows the choice and what it covers;
`POST` to the same address records it (beside the ledger: docs/public.md).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from smolny.api.deps import UowDep
from smolny.domain.errors import InvalidInput
from smolny.services import visibility
from smolny.web.auth import RequireAccountDep
from smolny.web.pages import templates

router = APIRouter(include_in_schema=False)

PAGE = "/organizations/{organization_id}/admin/public"


@router.get(PAGE, response_class=HTMLResponse)
def public_page(
    organization_id: int, request: Request, uow: UowDep, me: RequireAccountDep, done: str = ""
) -> HTMLResponse:
    visibility.require_administrator(uow, me, organization_id)
    setting = visibility.setting_of(uow, organization_id)
    return templates.TemplateResponse(
        request, "admin_public.html", {"setting": setting, "done": done == "1", "me": me}
    )


@router.post(PAGE)
def choose(
    organization_id: int,
    uow: UowDep,
    me: RequireAccountDep,
    public: Annotated[str, Form()] = "",
) -> RedirectResponse:
    if public not in ("yes", "no"):
        raise InvalidInput("choose public pages or pages for members only", field="public")
    visibility.set_public(
        uow, organization_id=organization_id, public=public == "yes", account=me, actor=me.actor
    )
    return RedirectResponse(PAGE.format(organization_id=organization_id) + "?done=1", 303)
