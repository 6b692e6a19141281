"""Importing a roll of members from CSV, on SQLite and PostgreSQL: the preview says what
each row would do and writes nothing; the import does all of it, or nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select

from smolny.domain.accounts import TokenKind
from smolny.domain.errors import InvalidInput, RuleViolation
from smolny.domain.federation import Member
from smolny.services import accounts, federation
from smolny.services.imports import RowStatus, apply_import, preview_import, read_csv
from smolny.services.verify import verify_ledger
from smolny.store.tables import events, members
from smolny.store.uow import UnitOfWork
from tests.builders import City, build_city

ACTOR = "account:1"

MIXED = """name;number;faction;constituency
Factory member 1;1;Left;Factory
Factory member 2 Jr;2;Left;Factory
Factory member 7;7;Left;Factory
Factory member 3;3;Left;Regiment
New One;A-100;Right;Factory
New Two;A-101;;Regiment
New Three;A-102;Reds;Factory
New Four;A-100;;Factory
;A-103;;
Olga;A-104;;Mars
"""

CLEAN = """\ufeffname,number,faction,constituency
Factory member 2 Jr,2,Left,Factory
Factory member 7,7,Left,
New One,A-100,right,Factory
New Two,A-101,,City Council / Regiment
"New, Three",A-102,,Factory
Nobody Else,A-103,,
"""


@pytest.fixture
def city(uow: UnitOfWork) -> City:
    return build_city(uow)


def state(engine: Engine) -> tuple[int, int]:
    with engine.connect() as connection:
        return (
            connection.execute(select(func.count()).select_from(events)).scalar_one(),
            connection.execute(select(func.count()).select_from(members)).scalar_one(),
        )


def test_the_preview_shows_new_changed_and_erroneous_rows_and_writes_nothing(
    uow: UnitOfWork, city: City, engine: Engine
) -> None:
    before = state(engine)
    preview = preview_import(uow, organization_id=city.organization.id, content=MIXED.encode())
    assert preview.delimiter == ";"
    by_row = {r.row: r for r in preview.rows}
    assert by_row[2].status is RowStatus.UNCHANGED
    assert by_row[3].status is RowStatus.CHANGED
    assert by_row[3].changes == ("name: 'Factory member 2' → 'Factory member 2 Jr'",)
    assert by_row[4].changes == ("faction: 'Centre' → 'Left'",)
    assert by_row[5].changes == ("joins Regiment (City Council)",)
    assert [by_row[n].status for n in (6, 7)] == [RowStatus.NEW, RowStatus.NEW]
    assert [str(p) for p in preview.problems] == [
        "row 8, column faction: no faction 'Reds' (factions: Left, Centre, Right)",
        "row 9, column number: 'A-100' is also row 6's",
        "row 10, column name: blank: every member needs a name",
        "row 11, column constituency: no constituency 'Mars' (constituencies: Factory, Regiment)",
    ]
    assert (preview.count(RowStatus.NEW), preview.count(RowStatus.ERROR)) == (2, 4)
    assert state(engine) == before
    with pytest.raises(InvalidInput, match=r"4 problem\(s\) in the file, the first: row 8"):
        apply_import(
            uow,
            organization_id=city.organization.id,
            content=MIXED.encode(),
            digest=preview.digest,
            actor=ACTOR,
        )
    assert state(engine) == before


def test_the_import_enrolls_by_constituency_records_changes_and_invites_everyone_in_it(
    uow: UnitOfWork, city: City, engine: Engine
) -> None:
    oid = city.organization.id
    member_3 = city.members["Factory"][2]
    token = accounts.issue_invitation(uow, member_id=member_3.id)
    accounts.accept_invitation(uow, token=token, password="a long enough one", login="m3")
    content = CLEAN.replace("Nobody Else,A-103,,", "Factory member 3,3,,").encode()
    preview = preview_import(uow, organization_id=oid, content=content)
    assert preview.ok
    assert preview.delimiter == ","
    assert [r.status for r in preview.rows] == [
        RowStatus.CHANGED,
        RowStatus.CHANGED,
        RowStatus.NEW,
        RowStatus.NEW,
        RowStatus.NEW,
        RowStatus.UNCHANGED,  # blank faction and constituency: left as they are
    ]
    seq_before = state(engine)[0]
    result = apply_import(
        uow, organization_id=oid, content=content, digest=preview.digest, actor=ACTOR
    )
    assert [m.name for m in result.enrolled] == ["New One", "New, Three", "New Two"]
    assert [m.name for m in result.changed] == ["Factory member 2 Jr", "Factory member 7"]
    assert preview.rows[1].changes == ("faction: 'Centre' → 'Left'",)
    # One event per constituency for the new members, one per changed member.
    with engine.connect() as connection:
        kinds = connection.execute(
            select(events.c.kind, events.c.actor).where(events.c.seq > seq_before)
        ).all()
    assert sorted(kinds) == sorted(
        [("members-enrolled", ACTOR)] * 2 + [("member-changed", ACTOR)] * 2
    )
    # Every member of the file without an account is invited; member 3 has one.
    invited = [i.member.number for i in result.invitations]
    assert invited == ["2", "7", "A-100", "A-101", "A-102"]
    with uow:
        new_one = uow.repo.member_by_number(oid, "A-100")
        assert new_one is not None
        assert new_one.faction_id == city.factions["Right"].id
        assert uow.repo.is_member_of(new_one.id, city.factory.id)
        renamed = uow.repo.get(Member, city.members["Factory"][1].id)
        assert renamed.name == "Factory member 2 Jr"
    view = accounts.link_view(uow, result.invitations[2].token, TokenKind.INVITATION)
    assert view.member == new_one
    assert verify_ledger(uow).ok
    # The same file again: nothing new or changed, and fresh links for those not yet in.
    again = preview_import(uow, organization_id=oid, content=content)
    assert {r.status for r in again.rows} == {RowStatus.UNCHANGED}


def test_the_import_refuses_if_the_roll_changed_since_the_preview(
    uow: UnitOfWork, city: City, engine: Engine
) -> None:
    oid = city.organization.id
    preview = preview_import(uow, organization_id=oid, content=CLEAN.encode())
    federation.enroll_member(uow, organization_id=oid, name="Someone", number="A-101", actor="test")
    before = state(engine)
    with pytest.raises(RuleViolation, match="changed since the preview"):
        apply_import(
            uow, organization_id=oid, content=CLEAN.encode(), digest=preview.digest, actor=ACTOR
        )
    assert state(engine) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"name;number\n", "a header but no members"),
        (b"name,email\nA,a@x\n", "row 1, column 2: 'email' is not a column"),
        (b"name,faction\nA,Left\n", "names no column 'number'"),
        ("name,number\nÄnne,1\n".encode("latin-1"), "not UTF-8 text (line 2, byte 13)"),
        (b"name,number,number\nA,1,2\n", "the column 'number' is named twice"),
    ],
)
def test_a_file_that_is_not_a_roll_is_refused_saying_where(content: bytes, message: str) -> None:
    with pytest.raises(InvalidInput, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_csv(content)


def test_a_row_with_more_fields_than_the_header_is_in_error(uow: UnitOfWork, city: City) -> None:
    preview = preview_import(
        uow, organization_id=city.organization.id, content=b"name,number\nA,9001,extra\n"
    )
    assert [str(p) for p in preview.problems] == ["row 2, column —: 3 fields, the header names 2"]
