"""Printing a count (the JSON form of a CountResult, as stored with an election) with Rich:
every round, the pairwise matrix where there is one, the ties, who was elected."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.table import Table

from smolny.commands.common import out


def print_count(count: Mapping[str, Any], heading: str) -> None:
    rounds: list[Mapping[str, Any]] = list(count.get("rounds", []))
    candidates: list[str] = list(count.get("candidates", []))
    elected = list(count.get("elected", []))
    out.print(heading, highlight=False)
    table = Table(title="Round by round")
    table.add_column("Candidate")
    for rnd in rounds:
        table.add_column(str(rnd.get("round", "")), justify="right")

    def cell(rnd: Mapping[str, Any], name: str) -> str:
        tallies = rnd.get("tallies", {})
        if name not in tallies:
            return ""
        text = votes(tallies[name])
        moved = rnd.get("transfers", {}).get(name)
        if moved:
            text += f" ({'+' if moved > 0 else ''}{votes(moved)})"
        if name in rnd.get("elected", ()):
            return f"[bold green]{text} ✓[/]"
        if name in rnd.get("excluded", ()):
            return f"[red]{text} ✗[/]"
        return text

    for name in candidates:
        label = f"[bold]{name}[/]" if name in elected else name
        table.add_row(label, *(cell(r, name) for r in rounds))
    if any(r.get("exhausted") or r.get("lost") for r in rounds):
        table.add_row(
            "[dim]non-transferable[/]",
            *(f"[dim]{votes(r.get('exhausted', 0) + r.get('lost', 0))}[/]" for r in rounds),
        )
    if any(r.get("quota") is not None for r in rounds):
        table.add_row(
            "[dim]quota[/]",
            *(f"[dim]{votes(r['quota'])}[/]" if r.get("quota") is not None else "" for r in rounds),
        )
    out.print(table)
    pairwise = count.get("details", {}).get("pairwise")
    if pairwise is not None:
        matrix = Table(title="Pairwise: voters preferring the row to the column")
        matrix.add_column("")
        for name in candidates:
            matrix.add_column(name[:12], justify="right")
        for i, name in enumerate(candidates):
            cells = [
                "" if i == j else _beats(int(pairwise[i][j]), int(pairwise[j][i]))
                for j in range(len(candidates))
            ]
            matrix.add_row(name, *cells)
        out.print(matrix)
    for rnd in rounds:
        note = f" — {rnd['note']}" if rnd.get("note") else ""
        out.print(f"  {rnd.get('round')}. {rnd.get('action', '')}{note}", highlight=False)
    for tie in count.get("ties", []):
        tied = tie.get("between") or tie.get("tied") or []
        chosen = tie.get("chosen") or tie.get("winners") or []
        where = f"round {tie['round']}" if "round" in tie else f"seat {tie.get('seat')}"
        out.print(
            f"[yellow]Tie[/] in {where} between {', '.join(tied)}: "
            f"{tie.get('resolved_by')} chose {', '.join(chosen)}",
            highlight=False,
        )
    out.print("[bold]Elected[/] (in order): " + (", ".join(elected) or "no one"))


def _beats(mine: int, theirs: int) -> str:
    return f"[green]{mine:,}[/]" if mine > theirs else f"{mine:,}"


def votes(value: float | int) -> str:
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.5f}".rstrip("0").rstrip(".")
