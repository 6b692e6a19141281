"""Importing an organization's roll of members from a CSV file: a preview first (each row
new, changed or in error, and nothing written), then the import itself, which enrolls the
new members, records the changes and gives out invitations.

The file: UTF-8 (with or without a byte order mark), fields separated by `,` or `;` (the
header line decides), a header naming the columns `name` and `number` and optionally
`faction` and `constituency`, in any order. Rows are numbered as a spreadsheet numbers them:
the header is row 1.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from smolny.domain.errors import InvalidInput, RuleViolation
from smolny.domain.federation import (
    Constituency,
    ConstituencyKind,
    Faction,
    Member,
    Membership,
    Organization,
)
from smolny.services import accounts, federation, members
from smolny.store.accounts import AccountStore
from smolny.store.tables import members as member_table
from smolny.store.tables import memberships
from smolny.store.uow import UnitOfWork

COLUMNS = ("name", "number", "faction", "constituency")
REQUIRED = ("name", "number")
MAX_BYTES = 5_000_000
MAX_ROWS = 50_000


class RowStatus(StrEnum):
    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    ERROR = "error"


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.message}"


@dataclass(frozen=True)
class ImportRow:
    row: int
    status: RowStatus
    name: str
    number: str
    faction: str
    constituency: str
    member_id: int | None = None
    faction_id: int | None = None
    constituency_id: int | None = None
    changes: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()
    # What an existing member's row changes: a new name, a new faction, a constituency joined.
    new_name: bool = False
    new_faction: bool = False
    joins: bool = False


@dataclass(frozen=True)
class ImportPreview:
    organization: Organization
    rows: tuple[ImportRow, ...]
    delimiter: str
    digest: str  # of the file and of what this preview says: the import checks it still holds

    def count(self, status: RowStatus) -> int:
        return sum(1 for r in self.rows if r.status is status)

    @property
    def problems(self) -> list[Problem]:
        return [p for r in self.rows for p in r.problems]

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class Invitation:
    member: Member
    token: str


@dataclass(frozen=True)
class ImportResult:
    organization: Organization
    enrolled: list[Member] = field(default_factory=list)
    changed: list[Member] = field(default_factory=list)
    invitations: list[Invitation] = field(default_factory=list)


# -- reading the file -----------------------------------------------------------------------


def read_csv(content: bytes) -> tuple[str, list[tuple[int, dict[str, str]]]]:
    """The delimiter and the rows (numbered; header is row 1) of a roll; a file that
    cannot be read as one is refused saying where."""
    if len(content) > MAX_BYTES:
        raise InvalidInput(
            f"the file has {len(content):,} bytes: at most {MAX_BYTES:,} are read", field="file"
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise InvalidInput(
            f"the file is not UTF-8 text (line {line}, byte {error.start + 1}): save it as "
            "CSV UTF-8",
            field="file",
        ) from None
    first = next((line for line in text.splitlines() if line.strip()), "")
    if not first:
        raise InvalidInput(
            "the file is empty: it needs a header and a row per member", field="file"
        )
    delimiter = ";" if first.count(";") > first.count(",") else ","
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False))
    header = [h.strip().lower() for h in records[0]]
    for position, name in enumerate(header, start=1):
        if name not in COLUMNS:
            raise InvalidInput(
                f"row 1, column {position}: {name!r} is not a column of a roll (columns: "
                f"{', '.join(COLUMNS)})",
                field="file",
            )
        if header.index(name) != position - 1:
            raise InvalidInput(f"row 1: the column {name!r} is named twice", field="file")
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InvalidInput(
            f"row 1: the header names no column {' or '.join(repr(c) for c in missing)} "
            f"(columns: {', '.join(COLUMNS)}; separated by ',' or ';')",
            field="file",
        )
    if len(records) - 1 > MAX_ROWS:
        raise InvalidInput(f"the file has more than {MAX_ROWS:,} rows", field="file")
    rows: list[tuple[int, dict[str, str]]] = []
    for number, record in enumerate(records[1:], start=2):
        if not any(v.strip() for v in record):
            continue
        values = dict.fromkeys(COLUMNS, "")
        for position, value in enumerate(record):
            if position < len(header):
                values[header[position]] = " ".join(value.split())
            elif value.strip():
                values["_extra"] = f"{len(record)} fields, the header names {len(header)}"
        rows.append((number, values))
    if not rows:
        raise InvalidInput("the file has a header but no members", field="file")
    return delimiter, rows


# -- the preview ----------------------------------------------------------------------------


class _Roll:
    """What the rows are checked against: the organization's factions, constituencies,
    members and memberships, read once."""

    def __init__(self, uow: UnitOfWork, organization_id: int) -> None:
        self.organization = uow.repo.get(Organization, organization_id)
        self.factions = uow.repo.factions(organization_id)
        self.faction_by_id = {f.id: f for f in self.factions}
        self.by_faction_name: dict[str, Faction] = {}
        for f in self.factions:
            self.by_faction_name.setdefault(f.short_name.casefold(), f)
        for f in self.factions:
            self.by_faction_name[f.name.casefold()] = f
        councils = {c.id: c for c in uow.repo.councils(organization_id)}
        self.constituencies: list[Constituency] = [
            k for cid in councils for k in uow.repo.constituencies(cid)
        ]
        self.council_names = {c.id: c.name for c in councils.values()}
        self.by_constituency_name: dict[str, list[Constituency]] = {}
        for k in self.constituencies:
            self.by_constituency_name.setdefault(k.name.casefold(), []).append(k)
            label = f"{self.council_names[k.council_id]} / {k.name}".casefold()
            self.by_constituency_name.setdefault(label, []).append(k)
        self.members = {
            m.number: m
            for m in uow.repo.where(Member, member_table.c.organization_id == organization_id)
        }
        ids = [k.id for k in self.constituencies]
        self.joined: set[tuple[int, int]] = set()
        for start in range(0, len(ids), 500):
            found = uow.repo.where(
                Membership, memberships.c.constituency_id.in_(ids[start : start + 500])
            )
            self.joined.update((m.member_id, m.constituency_id) for m in found)

    def faction(self, name: str) -> Faction:
        found = self.by_faction_name.get(name.casefold())
        if found is None:
            known = ", ".join(f.name for f in self.factions) or "none yet"
            raise InvalidInput(f"no faction {name!r} (factions: {known})")
        return found

    def constituency(self, name: str) -> Constituency:
        found = self.by_constituency_name.get(name.casefold(), [])
        if not found:
            known = sorted(
                k.name for k in self.constituencies if k.kind is not ConstituencyKind.COUNCIL
            )
            listed = ", ".join(known[:12]) + (
                f" and {len(known) - 12} more" if len(known) > 12 else ""
            )
            raise InvalidInput(f"no constituency {name!r} (constituencies: {listed or 'none yet'})")
        if len(found) > 1:
            options = "; ".join(f"{self.council_names[k.council_id]} / {k.name}" for k in found)
            raise InvalidInput(
                f"{name!r} names constituencies of several councils: write one of {options}"
            )
        if found[0].kind is ConstituencyKind.COUNCIL:
            raise InvalidInput(
                f"{found[0].name} is a lower council's seat: its electors are that council's "
                "delegates, not enrolled members"
            )
        return found[0]

    def faction_name(self, faction_id: int | None) -> str:
        return "no faction" if faction_id is None else repr(self.faction_by_id[faction_id].name)


def preview_import(uow: UnitOfWork, *, organization_id: int, content: bytes) -> ImportPreview:
    """What importing the file would do, row by row; nothing is written."""
    with uow:
        return _preview(uow, organization_id, content)


def _preview(uow: UnitOfWork, organization_id: int, content: bytes) -> ImportPreview:
    roll = _Roll(uow, organization_id)
    delimiter, records = read_csv(content)
    seen: dict[str, int] = {}
    rows = [_row(roll, n, values, seen) for n, values in records]
    said = json.dumps(
        [[r.row, r.status.value, r.member_id, list(r.changes)] for r in rows], ensure_ascii=False
    )
    digest = hashlib.sha256(
        f"{organization_id}\n".encode() + content + b"\n" + said.encode()
    ).hexdigest()
    return ImportPreview(roll.organization, tuple(rows), delimiter, digest)


def _row(roll: _Roll, n: int, values: dict[str, str], seen: dict[str, int]) -> ImportRow:
    problems: list[Problem] = []
    name, number = values["name"], values["number"]
    faction_name, place = values["faction"], values["constituency"]
    if "_extra" in values:
        problems.append(Problem(n, "—", values["_extra"]))
    if not name:
        problems.append(Problem(n, "name", "blank: every member needs a name"))
    elif len(name) > 200:
        problems.append(Problem(n, "name", "longer than 200 characters"))
    if not number:
        problems.append(Problem(n, "number", "blank: every member needs a membership number"))
    elif len(number) > 64:
        problems.append(Problem(n, "number", "longer than 64 characters"))
    elif number in seen:
        problems.append(Problem(n, "number", f"{number!r} is also row {seen[number]}'s"))
    else:
        seen[number] = n
    faction: Faction | None = None
    if faction_name:
        try:
            faction = roll.faction(faction_name)
        except InvalidInput as error:
            problems.append(Problem(n, "faction", error.message))
    constituency: Constituency | None = None
    if place:
        try:
            constituency = roll.constituency(place)
        except InvalidInput as error:
            problems.append(Problem(n, "constituency", error.message))

    def make(status: RowStatus, member: Member | None, **more: object) -> ImportRow:
        return ImportRow(
            row=n,
            status=status,
            name=name,
            number=number,
            faction=faction.name if faction else faction_name,
            constituency=place,
            member_id=member.id if member else None,
            faction_id=faction.id if faction else None,
            constituency_id=constituency.id if constituency else None,
            **more,  # type: ignore[arg-type]
        )

    existing = roll.members.get(number) if number else None
    if problems:
        return make(RowStatus.ERROR, existing, problems=tuple(problems))
    if existing is None:
        return make(RowStatus.NEW, None)
    changes: list[str] = []
    new_name = existing.name != name
    if new_name:
        changes.append(f"name: {existing.name!r} → {name!r}")
    new_faction = faction is not None and existing.faction_id != faction.id
    if faction is not None and new_faction:
        changes.append(f"faction: {roll.faction_name(existing.faction_id)} → {faction.name!r}")
    joins = constituency is not None and (existing.id, constituency.id) not in roll.joined
    if constituency is not None and joins:
        council = roll.council_names[constituency.council_id]
        changes.append(f"joins {constituency.name} ({council})")
    return make(
        RowStatus.CHANGED if changes else RowStatus.UNCHANGED,
        existing,
        changes=tuple(changes),
        new_name=new_name,
        new_faction=new_faction,
        joins=joins,
    )


# -- the import -----------------------------------------------------------------------------


def apply_import(
    uow: UnitOfWork, *, organization_id: int, content: bytes, digest: str, actor: str
) -> ImportResult:
    """Import the file as its preview said (`digest`): new members enrolled (one event per
    constituency), changes recorded, and an invitation for every member of the file who
    has no account. All of it or, if a row is in error or the roll changed since the
    preview, nothing."""
    with uow:
        uow.lock()
        preview = _preview(uow, organization_id, content)
        check_import(preview, digest)
        enrolled = _enroll(uow, preview, actor)
        changed = _change(uow, preview, actor)
        everyone = [r.member_id for r in preview.rows if r.member_id is not None]
        everyone += [m.id for m in enrolled]
        tokens = accounts.do_invite(uow, organization_id, everyone)
        found = uow.repo.members_by_id(tokens)
        invitations = [
            Invitation(found[mid], token)
            for mid, token in sorted(
                tokens.items(), key=lambda item: _order(preview, found[item[0]])
            )
        ]
        uow.commit()
    return ImportResult(preview.organization, enrolled, changed, invitations)


def check_import(preview: ImportPreview, digest: str) -> None:
    if not preview.ok:
        first = preview.problems[0]
        raise InvalidInput(
            f"{len(preview.problems)} problem(s) in the file, the first: {first}; correct "
            "the file and upload it again",
            field="file",
        )
    if digest != preview.digest:
        raise RuleViolation(
            "the roll changed since the preview (or the file differs): look at the new "
            "preview before importing",
            field="digest",
        )


def _order(preview: ImportPreview, member: Member) -> int:
    return next((r.row for r in preview.rows if r.number == member.number), 0)


def _enroll(uow: UnitOfWork, preview: ImportPreview, actor: str) -> list[Member]:
    """The new rows, one event per constituency (in the order the file first names them)."""
    groups: dict[int | None, list[ImportRow]] = {}
    for row in preview.rows:
        if row.status is RowStatus.NEW:
            groups.setdefault(row.constituency_id, []).append(row)
    enrolled: list[Member] = []
    for constituency_id, rows in groups.items():
        enrolled += federation.enroll_members(
            uow,
            organization_id=preview.organization.id,
            members=[federation.NewMember(r.name, r.faction_id, r.number) for r in rows],
            constituency_id=constituency_id,
            actor=actor,
        )
    return enrolled


def _change(uow: UnitOfWork, preview: ImportPreview, actor: str) -> list[Member]:
    changed: list[Member] = []
    for row in preview.rows:
        if row.status is not RowStatus.CHANGED:
            continue
        assert row.member_id is not None
        member = uow.repo.get(Member, row.member_id)
        if row.new_name or row.new_faction:
            member = members.change_member(
                uow,
                member_id=row.member_id,
                name=row.name,
                faction_id=row.faction_id if row.new_faction else member.faction_id,
                actor=actor,
            )
        if row.joins:
            assert row.constituency_id is not None
            members.join_constituency(
                uow, member_id=row.member_id, constituency_id=row.constituency_id, actor=actor
            )
        changed.append(member)
    return changed


def members_without_accounts(uow: UnitOfWork, rows: Sequence[ImportRow]) -> int:
    """How many of the rows' existing members have no account yet (for the preview)."""
    with uow:
        ids = [r.member_id for r in rows if r.member_id is not None]
        return len(ids) - len(AccountStore(uow.connection).member_ids_with_accounts(ids))
