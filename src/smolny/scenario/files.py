"""Reading scenario files: a path, or the name of a scenario that ships with Smolny."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from smolny.domain.errors import InvalidInput, NotFound
from smolny.scenario.format import Scenario


def built_in() -> dict[str, Path]:
    """The scenarios that ship with Smolny, by name."""
    folder = Path(str(resources.files("smolny") / "scenarios"))
    return {p.stem: p for p in sorted(folder.glob("*.yaml"))}


def find_scenario(ref: str) -> Path:
    """A scenario file: `ref` as a path if it is one, else a built-in scenario's name."""
    path = Path(ref)
    if path.suffix in (".yaml", ".yml") or path.exists():
        if not path.is_file():
            raise NotFound(f"no scenario file {ref}", field="scenario")
        return path
    shipped = built_in()
    if ref not in shipped:
        raise NotFound(
            f"no scenario named {ref!r} (built in: {', '.join(shipped) or 'none'}; or give a "
            "path to a .yaml file)",
            field="scenario",
        )
    return shipped[ref]


def load_scenario(path: Path) -> Scenario:
    """Parse and check a scenario file; errors name the file and the place in it."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        place = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise InvalidInput(f"{place}: not valid YAML: {error.problem}", field="scenario") from error
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise InvalidInput(f"{path}: cannot be read: {error}", field="scenario") from error
    if not isinstance(data, dict):
        raise InvalidInput(f"{path}: a scenario is a mapping (format, name, events, ...)")
    try:
        return Scenario.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(f"{_place(data, e['loc'])}: {e['msg']}" for e in error.errors()[:5])
        more = len(error.errors()) - 5
        tail = f" (and {more} more)" if more > 0 else ""
        raise InvalidInput(f"{path}: {problems}{tail}", field="scenario") from error


def _place(data: dict[str, Any], loc: tuple[int | str, ...]) -> str:
    """A validation error's place in words: event 12 ('July Days'), action 3, ..."""
    words: list[str] = []
    node: Any = data
    parts = list(loc)
    while parts:
        key = parts.pop(0)
        found = (isinstance(node, dict) and key in node) or (
            isinstance(node, list) and isinstance(key, int) and key < len(node)
        )
        if found:
            child = node[key]
        else:
            words.append(str(key))
            continue
        if key == "events" and parts and isinstance(parts[0], int) and isinstance(child, list):
            index = int(parts.pop(0))
            event = child[index] if index < len(child) else {}
            title = event.get("title", "") if isinstance(event, dict) else ""
            words.append(f"event {index + 1} ({title!r})" if title else f"event {index + 1}")
            node = event
            continue
        if key in ("do", "steps") and parts and isinstance(parts[0], int):
            index = int(parts.pop(0))
            words.append(f"{'action' if key == 'do' else 'step'} {index + 1}")
            node = child[index] if isinstance(child, list) and index < len(child) else {}
            continue
        words.append(str(key))
        node = child
    return ", ".join(words) or "the file"
