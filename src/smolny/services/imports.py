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
from smolny.domain.text import Text, say
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
    text: Text | str  # what is wrong, for a page to say in its language

    @property
    def message(self) -> str:
        return str(self.text)

    @property
    def said(self) -> Text:
        """Where and what: "row 7, column faction: no faction 'Reds' (factions: ...)"."""
        return say(
            "row %(row)s, column %(column)s: %(problem)s",
            row=str(self.row),
            column=self.column,
            problem=self.text,
        )

    def __str__(self) -> str:
        return str(self.said)


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
    changes: tuple[str, ...] = ()  # English, as the API and the CLI say them
    said_changes: tuple[Text, ...] = ()  # the same, for a page to say in its language
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
            say(
                "the file has %(size)s bytes: at most %(limit)s are read",
                size=f"{len(content):,}",
                limit=f"{MAX_BYTES:,}",
            ),
            field="file",
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise InvalidInput(
            say(
                "the file is not UTF-8 text (line %(line)s, byte %(byte)s): save it as CSV UTF-8",
                line=str(line),
                byte=str(error.start + 1),
            ),
            field="file",
        ) from None
    first = next((line for line in text.splitlines() if line.strip()), "")
    if not first:
        raise InvalidInput(
            say("the file is empty: it needs a header and a row per member"), field="file"
        )
    delimiter = ";" if first.count(";") > first.count(",") else ","
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False))
    header = [h.strip().lower() for h in records[0]]
    for position, name in enumerate(header, start=1):
        if name not in COLUMNS:
            raise InvalidInput(
                say(
                    "row 1, column %(position)s: %(name)s is not a column of a roll "
                    "(columns: %(columns)s)",
                    position=str(position),
                    name=repr(name),
                    columns=", ".join(COLUMNS),
                ),
                field="file",
            )
        if header.index(name) != position - 1:
            raise InvalidInput(
                say("row 1: the column %(name)s is named twice", name=repr(name)), field="file"
            )
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InvalidInput(
            say(
                "row 1: the header names no column %(missing)s (columns: %(columns)s; "
                "separated by ',' or ';')",
                missing=_either(missing),
                columns=", ".join(COLUMNS),
            ),
            field="file",
        )
    if len(records) - 1 > MAX_ROWS:
        raise InvalidInput(
            say("the file has more than %(limit)s rows", limit=f"{MAX_ROWS:,}"), field="file"
        )
    rows: list[tuple[int, dict[str, str]]] = []
    for number, record in enumerate(records[1:], start=2):
        if not any(v.strip() for v in record):
            continue
        values = dict.fromkeys(COLUMNS, "")
        for position, value in enumerate(record):
            if position < len(header):
                values[header[position]] = " ".join(value.split())
            elif value.strip():
                # the counts, for the row's problem (_row)
                values["_extra"] = f"{len(record)} {len(header)}"
        rows.append((number, values))
    if not rows:
        raise InvalidInput(say("the file has a header but no members"), field="file")
    return delimiter, rows


def _either(columns: Sequence[str]) -> str | Text:
    """'number', or 'name' or 'number' (the "or" in the page's language)."""
    if len(columns) == 1:
        return repr(columns[0])
    return say(
        "%(first)s or %(second)s",
        first=" or ".join(map(repr, columns[:-1])),
        second=repr(columns[-1]),
    )


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
            known = ", ".join(f.name for f in self.factions)
            raise InvalidInput(
                say("no faction %(name)s (factions: %(known)s)", name=repr(name), known=known)
                if known
                else say("no faction %(name)s (factions: none yet)", name=repr(name))
            )
        return found

    def constituency(self, name: str) -> Constituency:
        found = self.by_constituency_name.get(name.casefold(), [])
        if not found:
            known = sorted(
                k.name for k in self.constituencies if k.kind is not ConstituencyKind.COUNCIL
            )
            listed: str | Text = ", ".join(known[:12])
            if len(known) > 12:
                listed = say(
                    "%(names)s and %(more)s more", names=", ".join(known[:12]), more=len(known) - 12
                )
            raise InvalidInput(
                say(
                    "no constituency %(name)s (constituencies: %(known)s)",
                    name=repr(name),
                    known=listed,
                )
                if known
                else say("no constituency %(name)s (constituencies: none yet)", name=repr(name))
            )
        if len(found) > 1:
            options = "; ".join(f"{self.council_names[k.council_id]} / {k.name}" for k in found)
            raise InvalidInput(
                say(
                    "%(name)s names constituencies of several councils: write one of %(options)s",
                    name=repr(name),
                    options=options,
                )
            )
        if found[0].kind is ConstituencyKind.COUNCIL:
            raise InvalidInput(
                say(
                    "%(name)s is a lower council's seat: its electors are that council's "
                    "delegates, not enrolled members",
                    name=found[0].name,
                )
            )
        return found[0]

    def faction_name(self, faction_id: int | None) -> str | Text:
        if faction_id is None:
            return say("no faction")
        return repr(self.faction_by_id[faction_id].name)


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
        fields, named = values["_extra"].split()
        problems.append(
            Problem(
                n,
                "—",
                say(
                    "%(fields)s fields, the header names %(named)s",
                    fields=int(fields),
                    named=int(named),
                ),
            )
        )
    if not name:
        problems.append(Problem(n, "name", say("blank: every member needs a name")))
    elif len(name) > 200:
        problems.append(Problem(n, "name", say("longer than %(limit)s characters", limit=200)))
    if not number:
        problems.append(Problem(n, "number", say("blank: every member needs a membership number")))
    elif len(number) > 64:
        problems.append(Problem(n, "number", say("longer than %(limit)s characters", limit=64)))
    elif number in seen:
        problems.append(
            Problem(
                n,
                "number",
                say(
                    "%(number)s is also row %(other)s's",
                    number=repr(number),
                    other=str(seen[number]),
                ),
            )
        )
    else:
        seen[number] = n
    faction: Faction | None = None
    if faction_name:
        try:
            faction = roll.faction(faction_name)
        except InvalidInput as error:
            problems.append(Problem(n, "faction", error.text))
    constituency: Constituency | None = None
    if place:
        try:
            constituency = roll.constituency(place)
        except InvalidInput as error:
            problems.append(Problem(n, "constituency", error.text))

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
    changes: list[Text] = []
    new_name = existing.name != name
    if new_name:
        changes.append(say("name: %(old)s → %(new)s", old=repr(existing.name), new=repr(name)))
    new_faction = faction is not None and existing.faction_id != faction.id
    if faction is not None and new_faction:
        changes.append(
            say(
                "faction: %(old)s → %(new)s",
                old=roll.faction_name(existing.faction_id),
                new=repr(faction.name),
            )
        )
    joins = constituency is not None and (existing.id, constituency.id) not in roll.joined
    if constituency is not None and joins:
        council = roll.council_names[constituency.council_id]
        changes.append(
            say(
                "joins %(constituency)s (%(council)s)",
                constituency=constituency.name,
                council=council,
            )
        )
    return make(
        RowStatus.CHANGED if changes else RowStatus.UNCHANGED,
        existing,
        changes=tuple(str(c) for c in changes),
        said_changes=tuple(changes),
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
            say(
                "%(count)s problem(s) in the file, the first: %(first)s; correct the file and "
                "upload it again",
                count=len(preview.problems),
                first=first.said,
            ),
            field="file",
        )
    if digest != preview.digest:
        raise RuleViolation(
            say(
                "the roll changed since the preview (or the file differs): look at the new "
                "preview before importing"
            ),
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
