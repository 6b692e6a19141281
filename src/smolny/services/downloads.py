"""Files to download: a council's composition, an election's result, a sitting's votes and
its minutes, as CSV (for spreadsheets) and JSON (for programs).

Every figure comes from the same views the pages show (services.composition,
services.sittings), so a download and its page always agree. (Not to be confused with
`smolny export`, which writes an organization's whole history as a scenario file.)
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from smolny.domain.composition import Composition
from smolny.domain.errors import NotFound
from smolny.domain.federation import slugify
from smolny.services.composition import ElectionView, composition_document
from smolny.services.sittings import (
    MotionState,
    SittingView,
    VoteState,
    minutes_document,
    vote_document,
)

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
JSON_MEDIA_TYPE = "application/json"
# Spreadsheet programs read a CSV file as UTF-8 (Cyrillic names, dashes) only after a BOM.
BOM = "\ufeff"


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]], *, bom: bool) -> str:
    """A CSV file (RFC 4180: CRLF, quoted where needed) with a header row; None is empty."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    return (BOM if bom else "") + buffer.getvalue()


def file_name(*parts: object, suffix: str) -> str:
    """'composition', 'Petrograd Soviet', date(1917, 8, 31) -> composition-petrograd-soviet-
    1917-08-31.csv: a name that says what the file holds."""
    words = [p.isoformat() if isinstance(p, date) else slugify(str(p)) for p in parts]
    return "-".join(words) + "." + suffix


def number(value: object) -> object:
    """A vote count as a spreadsheet reads it: 27, or 3.25431 for a fractional STV value
    (exact to the 0.00001 of a vote that Scottish STV counts in), never 27.0."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    if float(value).is_integer():
        return int(value)
    return f"{value:.5f}".rstrip("0").rstrip(".")


# -- a council's composition -------------------------------------------------------------------

COMPOSITION_HEADER = ("name", "number", "faction", "section", "constituency", "since")


def composition_rows(composition: Composition) -> list[tuple[object, ...]]:
    """One row per delegate seated at the moment, in the order of the council's page."""
    return [
        (
            d.member.name,
            d.member.number,
            d.faction_name,
            d.section.name if d.section else None,
            d.origin,
            d.mandate.valid_from.date().isoformat(),
        )
        for d in composition.delegates
    ]


def composition_csv(composition: Composition, *, bom: bool = True) -> str:
    return csv_text(COMPOSITION_HEADER, composition_rows(composition), bom=bom)


def composition_file_name(composition: Composition, suffix: str) -> str:
    return file_name("composition", composition.council.name, composition.at.date(), suffix=suffix)


def composition_json(composition: Composition) -> dict[str, object]:
    """The composition document (as `smolny council show --format json`), with the council's
    number."""
    return {"council_id": composition.council.id, **composition_document(composition)}


# -- an election's result ----------------------------------------------------------------------


def election_document(view: ElectionView) -> dict[str, Any]:
    """An election and its recorded result (`smolny election show --format json`)."""
    election = view.election
    return {
        "election": election.id,
        "organization": view.organization.name,
        "council": view.council.name,
        "where": view.constituency.name if view.constituency else view.council.name,
        "kind": election.kind.value,
        "method": election.method.value,
        "seats": election.seats,
        "held_at": election.held_at.isoformat(),
        "result": election.result,
    }


def election_table(view: ElectionView) -> tuple[list[str], list[list[object]]]:
    """The result round by round, as the election's page shows it: a row per candidate (per
    list, for a party-list election) with its votes in each round (empty once excluded),
    then the non-transferable votes and the quota where the count has them. The last
    column says who was elected: a candidate's place in the order of election, or the
    names a list elected (after its seats)."""
    result = view.election.result
    rounds: list[dict[str, Any]] = result.get("rounds", [])
    candidates: list[str] = result.get("candidates", [])
    elected: list[str] = result.get("elected", [])
    lists = {row["name"]: row for row in result.get("lists", [])}
    header = ["list" if lists else "candidate"]
    header += [f"round {r['round']}" for r in rounds]
    header += ["seats", "elected"] if lists else ["elected"]
    rows: list[list[object]] = []
    for name in candidates:
        row: list[object] = [name]
        row += [number(r["tallies"].get(name)) for r in rounds]
        if lists:
            party = lists.get(name, {})
            row += [party.get("seats", 0), "; ".join(party.get("elected", []))]
        else:
            row.append(elected.index(name) + 1 if name in elected else None)
        rows.append(row)
    extra = [None, None] if lists else [None]
    if any(r.get("exhausted") for r in rounds):
        rows.append(
            ["(non-transferable)", *[number(r.get("exhausted") or 0) for r in rounds], *extra]
        )
    if any(r.get("quota") is not None for r in rounds):
        rows.append(["(quota)", *[number(r.get("quota")) for r in rounds], *extra])
    return header, rows


def election_csv(view: ElectionView, *, bom: bool = True) -> str:
    header, rows = election_table(view)
    return csv_text(header, rows, bom=bom)


def election_file_name(view: ElectionView, suffix: str) -> str:
    where = view.constituency.name if view.constituency else view.council.name
    return file_name(
        "election", view.election.id, where, view.election.held_at.date(), suffix=suffix
    )


# -- a sitting's votes -------------------------------------------------------------------------

VOTE_HEADER = (
    "sitting",
    "day",
    "motion",
    "motion_title",
    "amends",
    "vote",
    "mode",
    "majority",
    "opened_at",
    "closed_at",
    "present",
    "voted",
    "seated",
    "quorum",
    "for",
    "against",
    "abstain",
    "required",
    "outcome",
    "reason",
)


def _vote_row(view: SittingView, motion: MotionState, state: VoteState) -> tuple[object, ...]:
    """A vote in one row; while it is open only how many have voted (no counts yet)."""
    vote = state.vote
    doc = vote_document(state)
    closed = state.closed
    return (
        view.sitting.id,
        view.sitting.day.isoformat(),
        motion.motion.id,
        motion.motion.title,
        motion.motion.parent_id,
        vote.id,
        vote.mode.value,
        vote.majority.value,
        doc["opened_at"],
        doc["closed_at"],
        vote.present if closed else state.present,
        state.voted,
        vote.seated if closed else None,
        vote.quorum_needed if closed else None,
        vote.yes if closed else None,
        vote.no if closed else None,
        vote.abstain if closed else None,
        vote.required if closed else None,
        (vote.outcome.value if vote.outcome else None) if closed else "open",
        vote.reason if closed else None,
    )


def votes_rows(view: SittingView) -> list[tuple[object, ...]]:
    """Every vote of the sitting as of the view's moment, motion by motion."""
    return [_vote_row(view, m, v) for m in view.motions for v in m.votes]


def votes_csv(view: SittingView, *, bom: bool = True) -> str:
    return csv_text(VOTE_HEADER, votes_rows(view), bom=bom)


def votes_file_name(view: SittingView, suffix: str) -> str:
    return file_name("votes", view.council.name, view.sitting.day, suffix=suffix)


def _find_vote(view: SittingView, vote_id: int) -> tuple[MotionState, VoteState]:
    for motion in view.motions:
        for state in motion.votes:
            if state.vote.id == vote_id:
                return motion, state
    raise NotFound(f"vote {vote_id} was not opened by the moment asked", field="vote")


def vote_csv(view: SittingView, vote_id: int, *, bom: bool = True) -> str:
    """One vote, in the columns of the sitting's votes."""
    motion, state = _find_vote(view, vote_id)
    return csv_text(VOTE_HEADER, [_vote_row(view, motion, state)], bom=bom)


def vote_json(view: SittingView, vote_id: int) -> dict[str, Any]:
    """The vote's document (as the API's /api/votes/ID) with its motion and sitting."""
    motion, state = _find_vote(view, vote_id)
    return {
        **vote_document(state),
        "motion_title": motion.motion.title,
        "sitting": view.sitting.id,
        "sitting_title": view.sitting.title,
        "council": view.council.name,
        "day": view.sitting.day.isoformat(),
    }


ROLL_CALL_HEADER = ("vote", "name", "choice")


def roll_call_csv(view: SittingView, vote_id: int, *, bom: bool = True) -> str:
    """How each delegate voted in a roll-call vote, choice by choice."""
    _, state = _find_vote(view, vote_id)
    names = vote_document(state).get("names")
    if names is None:
        raise NotFound(
            f"vote {vote_id} is by {state.vote.mode.value.replace('-', ' ')}: "
            "no one's choice is recorded by name",
            field="vote",
        )
    rows = [(vote_id, name, choice) for choice, listed in names.items() for name in listed]
    return csv_text(ROLL_CALL_HEADER, rows, bom=bom)


def vote_file_name(view: SittingView, vote_id: int, suffix: str, *, what: str = "vote") -> str:
    return file_name(what, vote_id, view.council.name, view.sitting.day, suffix=suffix)


# -- the minutes -------------------------------------------------------------------------------


def minutes_json(view: SittingView) -> dict[str, Any]:
    """The minutes document (as `smolny sitting minutes --format json`)."""
    return minutes_document(view)


def minutes_file_name(view: SittingView, suffix: str) -> str:
    """'minutes-petrograd-soviet-1917-08-31.pdf'."""
    return file_name("minutes", view.council.name, view.sitting.day, suffix=suffix)
