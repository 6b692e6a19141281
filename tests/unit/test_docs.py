"""The docs list every CLI command and every setting, and nothing that does not exist."""

import re
from pathlib import Path

import typer.main

from smolny.cli import app
from smolny.settings import SETTINGS

DOCS = Path(__file__).parents[2] / "docs"


def commands() -> set[str]:
    def walk(command: object, prefix: str) -> set[str]:
        subcommands = getattr(command, "commands", None)
        if not subcommands:
            return {prefix}
        found: set[str] = set()
        for name, sub in subcommands.items():
            found |= walk(sub, f"{prefix} {name}")
        return found

    return walk(typer.main.get_command(app), "smolny")


def test_every_command_is_documented_and_every_documented_command_exists() -> None:
    text = "\n".join(p.read_text() for p in sorted(DOCS.glob("*.md")))
    documented = {
        " ".join(w for w in m.split() if re.fullmatch(r"[a-z][a-z-]*", w))
        for m in re.findall(r"^\| `(smolny [^`]*)`", text, flags=re.M)
    }
    assert documented == commands()


def test_every_setting_is_documented_and_every_documented_setting_exists() -> None:
    text = (DOCS / "settings.md").read_text()
    documented = set(re.findall(r"^\| `(SMOLNY_[A-Z_]+)`", text, flags=re.M))
    assert documented == set(SETTINGS)
    for name, (default, _) in SETTINGS.items():
        row = next(line for line in text.splitlines() if line.startswith(f"| `{name}`"))
        assert (f"`{default}`" in row) if default else "(unset)" in row
