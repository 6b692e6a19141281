"""Settings, from SMOLNY_* environment variables, read when asked for (never at import)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_DATABASE_URL = "sqlite:///var/smolny.sqlite3"

# Every setting, its default and what it does; docs/settings.md lists the same (a test
# keeps them in step).
SETTINGS: dict[str, tuple[str, str]] = {
    "SMOLNY_DATABASE_URL": (
        DEFAULT_DATABASE_URL,
        "the database: a SQLite file (relative to the working directory) or "
        "postgresql://user@host/db",
    ),
    "SMOLNY_HOST": ("127.0.0.1", "the address `smolny serve` listens on"),
    "SMOLNY_PORT": ("8000", "the port `smolny serve` listens on"),
    "SMOLNY_ADMIN_TOKEN": (
        "",
        "bearer token that the JSON API's changing requests must carry; unset, the API "
        "is read-only",
    ),
    "SMOLNY_CHROMIUM": (
        "/usr/bin/chromium",
        "the Chromium (or Chrome) program that renders minutes as PDF; missing, the PDF "
        "downloads answer 503 and the printable page remains",
    ),
    "SMOLNY_BASE_URL": (
        "",
        "the site's address as people reach it, for the links the command line prints "
        "(invitations, password resets); unset, http://SMOLNY_HOST:SMOLNY_PORT",
    ),
    "SMOLNY_SECURE_COOKIES": (
        "",
        "true: the session cookie is sent over HTTPS only (set it when serving behind HTTPS)",
    ),
}


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    host: str = "127.0.0.1"
    port: int = 8000
    admin_token: str | None = None
    chromium: str = "/usr/bin/chromium"
    base_url: str | None = None
    secure_cookies: bool = False

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ

        def get(name: str) -> str:
            return env.get(name) or SETTINGS[name][0]

        port = get("SMOLNY_PORT")
        if not port.isdigit():
            raise ValueError(f"SMOLNY_PORT={port!r}: expected a port number")
        return cls(
            database_url=get("SMOLNY_DATABASE_URL"),
            host=get("SMOLNY_HOST"),
            port=int(port),
            admin_token=get("SMOLNY_ADMIN_TOKEN") or None,
            chromium=get("SMOLNY_CHROMIUM"),
            base_url=get("SMOLNY_BASE_URL").rstrip("/") or None,
            secure_cookies=_flag("SMOLNY_SECURE_COOKIES", get("SMOLNY_SECURE_COOKIES")),
        )

    @property
    def site_url(self) -> str:
        """Where people reach the site, for links printed outside a page."""
        return self.base_url or f"http://{self.host}:{self.port}"


def _flag(name: str, value: str) -> bool:
    word = value.strip().lower()
    if word in ("", "0", "false", "no", "off"):
        return False
    if word in ("1", "true", "yes", "on"):
        return True
    raise ValueError(f"{name}={value!r}: expected true or false")
