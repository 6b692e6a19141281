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
}


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    host: str = "127.0.0.1"
    port: int = 8000
    admin_token: str | None = None
    chromium: str = "/usr/bin/chromium"

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
        )
