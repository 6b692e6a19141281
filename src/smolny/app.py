"""The web application: the JSON API under /api and the pages, on one FastAPI app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from smolny import __version__
from smolny.api import analytics as api_analytics
from smolny.api import congress as api_congress
from smolny.api import orders as api_orders
from smolny.api import sittings as api_sittings
from smolny.api.routes import router as api_router
from smolny.domain.errors import DomainError
from smolny.settings import Settings
from smolny.store.database import connect
from smolny.store.migrate import head_revision, is_current
from smolny.web import analytics as web_analytics
from smolny.web import auth as web_auth
from smolny.web import chair as web_chair
from smolny.web import committee as web_committee
from smolny.web import congress as web_congress
from smolny.web import delegate as web_delegate
from smolny.web import downloads as web_downloads
from smolny.web import i18n as web_i18n
from smolny.web import journeys as web_journeys
from smolny.web import members as web_members
from smolny.web import orders as web_orders
from smolny.web import public_settings as web_public_settings
from smolny.web import sittings as web_sittings
from smolny.web import timeline as web_timeline
from smolny.web.pages import render_error
from smolny.web.pages import router as pages_router
from smolny.web.visibility import VisibleDep

STATUS = {
    "not_found": 404,
    "conflict": 409,
    "tie": 409,
    "rule_violation": 422,
    "invalid_input": 422,
    "unauthorized": 401,
    "forbidden": 403,
    "too_many_attempts": 429,
}


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = connect(settings.database_url)
        if not is_current(engine):
            raise RuntimeError(
                f"the database is not at schema {head_revision()}: run `smolny init` first"
            )
        app.state.engine = engine
        yield
        engine.dispose()

    app = FastAPI(
        title="Smolny",
        version=__version__,
        summary="Council democracy: federated councils of elected, recallable delegates.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    web_i18n.install(app)  # the request's language (inside the session: knows the account)
    web_auth.install(app)  # sessions, CSRF on every page form, the login pages
    # Every router that shows an organization's record checks, in one dependency, that
    # the reader may see it (docs/public.md).
    visible = [VisibleDep]
    for area in (api_sittings, api_orders, api_congress, api_analytics):
        app.include_router(area.router, dependencies=visible)
    app.include_router(api_router, dependencies=visible)
    # Downloads first: /elections/1.csv must not reach the page /elections/{id}.
    app.include_router(web_downloads.router, dependencies=visible)
    app.include_router(web_committee.router, dependencies=visible)  # "Orders to review"
    app.include_router(web_public_settings.router, dependencies=visible)
    # The delegate's and the chair's pages of a sitting, and its server-sent events.
    for journey in (web_journeys, web_delegate, web_chair):
        app.include_router(journey.router, dependencies=visible)
    app.include_router(web_members.router, dependencies=visible)  # "My membership", ballots
    for pages in (web_sittings, web_orders, web_congress, web_analytics, web_timeline):
        app.include_router(pages.router, dependencies=visible)
    app.include_router(pages_router, dependencies=visible)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "web" / "static"), "static")

    @app.exception_handler(DomainError)
    async def refused(request: Request, error: DomainError) -> Response:
        code = STATUS.get(error.code, 400)
        if not request.url.path.startswith("/api"):
            return render_error(request, code, web_i18n.translate(error.text))
        body = {"error": {"code": error.code, "message": error.message, "field": error.field}}
        return JSONResponse(body, status_code=code)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        message = str(error.detail)
        if not request.url.path.startswith("/api"):
            return render_error(request, error.status_code, message)
        code = "not_found" if error.status_code == 404 else "http_error"
        body = {"error": {"code": code, "message": message, "field": None}}
        return JSONResponse(body, status_code=error.status_code, headers=error.headers)

    @app.exception_handler(RequestValidationError)
    async def malformed(request: Request, error: RequestValidationError) -> Response:
        problems = [
            {"field": ".".join(str(p) for p in e["loc"][1:]), "message": e["msg"]}
            for e in error.errors()
        ]
        message = "; ".join(f"{p['field'] or 'body'}: {p['message']}" for p in problems)
        if not request.url.path.startswith("/api"):
            return render_error(request, 422, message)
        body = {
            "error": {
                "code": "invalid_input",
                "message": message,
                "field": problems[0]["field"] if problems else None,
                "problems": problems,
            }
        }
        return JSONResponse(body, status_code=422)

    return app
