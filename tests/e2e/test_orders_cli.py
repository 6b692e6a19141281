"""`smolny order ...` as a subprocess, as a user runs it, on October 1917 in miniature.

The Soviet, its committees, the regiments and the outside authorities are built through
the services (tests/builders_orders.py, without the garrison conference's grant); the
grant, the orders, the decisions, the powers and the sanctions are then given through the
command line, once per module and backend, and what the commands print is compared with
the services' answer read on our own connection.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from smolny.moments import parse_moment
from smolny.services import orders as services
from smolny.services.verify import verify_ledger
from smolny.store.database import connect
from smolny.store.uow import UnitOfWork
from tests.builders_orders import Petrograd, build_petrograd, october
from tests.e2e.conftest import run_smolny, said

ORG = "Petrograd Soviet of Workers' and Soldiers' Deputies"
MRC = "Military Revolutionary Committee"
VOLYNSKY, PAVLOVSKY, COSSACKS = (
    "Volynsky Regiment",
    "Pavlovsky Regiment",
    "1st Don Cossack Regiment",
)


@dataclass
class Story:
    url: str
    uow: UnitOfWork
    petrograd: Petrograd
    said: dict[str, str] = field(default_factory=dict)  # what each step printed

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return run_smolny(self.url, "order", *args)

    def step(self, name: str, *args: str) -> str:
        result = self.run(*args)
        assert result.returncode == 0, f"{name}: {said(result)}"
        self.said[name] = said(result)
        return self.said[name]

    def json(self, *args: str) -> dict[str, object]:
        result = self.run(*args, "--format", "json")
        assert result.returncode == 0, said(result)
        document: dict[str, object] = json.loads(result.stdout)
        return document


@pytest.fixture(scope="module")
def story(module_database_url: str) -> Iterator[Story]:
    engine = connect(module_database_url)
    uow = UnitOfWork(engine)
    p = october(uow, build_petrograd(uow), grant=False)
    s = Story(module_database_url, uow, p)
    s.step(
        "authority",
        "authority-add",
        ORG,
        "Stavka",
        "--kind",
        "military-command",
        "--at",
        "1917-10-13",
    )
    s.step(
        "grant",
        "grant", MRC, VOLYNSKY, PAVLOVSKY,
        "--decision", "garrison conference, 18 October 1917", "--at", "1917-10-18",
    )  # fmt: skip
    s.step(
        "issue",
        "issue", "Provisional Government", "Send the garrison to the front",
        "--to", VOLYNSKY, "--to", PAVLOVSKY, "--to", COSSACKS,
        "--text", "Entrain for the northern front.", "--at", "1917-10-21",
    )  # fmt: skip
    s.step(
        "refuse", "refuse", "1", "--by", MRC, "--reason", "not countersigned", "--at", "1917-10-22"
    )
    s.step(
        "countermand",
        "issue", MRC, "No regiment leaves the capital",
        "--to", VOLYNSKY, "--to", COSSACKS, "--countermands", "1", "--at", "1917-10-23",
    )  # fmt: skip
    s.step("withdraw", "withdraw", "1", "--reason", "the regiments stayed", "--at", "1917-10-26")
    yield s
    engine.dispose()


def test_issuing_prints_each_units_status(story: Story) -> None:
    assert story.said["issue"] == (
        "Order 1 (Send the garrison to the front) issued by Provisional Government: "
        "Volynsky Regiment: awaiting countersignature (awaiting Military Revolutionary Committee) "
        "Pavlovsky Regiment: awaiting countersignature (awaiting Military Revolutionary Committee) "
        "1st Don Cossack Regiment: valid"
    )
    assert "Military Revolutionary Committee refused order 1" in story.said["refuse"]
    assert (
        "Volynsky Regiment: refused (refused by Military Revolutionary Committee)"
        in (story.said["refuse"])
    )
    assert "Outside authority 3: Stavka (military-command)" in story.said["authority"]


@pytest.mark.parametrize("day", ["1917-10-21", "1917-10-22", "1917-10-23", "1917-10-26"])
def test_the_json_matrix_is_the_services_matrix(story: Story, day: str) -> None:
    printed = story.json("list", ORG, "--at", day)
    expected = services.matrix_document(
        services.orders_matrix(story.uow, story.petrograd.organization.id, parse_moment(day))
    )
    assert printed == expected
    assert printed["orders"]  # the day has orders


def test_the_table_matrix_marks_the_conflict(story: Story) -> None:
    result = story.run("list", ORG, "--at", "1917-10-23")
    assert result.returncode == 0, said(result)
    text = said(result)
    assert "direct conflict at 1st Don Cossack Regiment: order 1 (Provisional Government)" in text
    assert "valid!" in text  # the cells in conflict
    assert "#2 1917-10-23 Military Revolutionary Committee: No regiment leaves the capital" in text


def test_show_prints_the_order_and_its_trail(story: Story) -> None:
    printed = story.json("show", "1", "--at", "1917-10-23")
    expected = services.order_document(
        services.order_view(story.uow, 1, parse_moment("1917-10-23"))
    )
    assert printed == expected
    table = said(story.run("show", "1", "--at", "1917-10-23"))
    assert (
        "Military Revolutionary Committee refused for Volynsky Regiment and Pavlovsky Regiment"
        in (table)
    )
    assert "Withdrawn by Provisional Government: the regiments stayed (later)" in table


def test_the_unit_command_names_the_bodies_holding_power(story: Story) -> None:
    printed = story.json("unit", ORG, VOLYNSKY, "--at", "1917-10-23")
    assert printed["countersigners"] == [MRC]
    assert [o["status"] for o in printed["orders"]] == ["refused", "valid"]  # type: ignore[index]
    before = story.json("unit", ORG, VOLYNSKY, "--at", "1917-10-17")
    assert before["countersigners"] == []


def test_powers_and_sanctions_through_the_command_line(story: Story) -> None:
    refused = story.run(
        "sanction", "Mensheviks", "ban", "--by", MRC, "--effect", "None may speak",
        "--at", "1917-10-27",
    )  # fmt: skip
    assert refused.returncode == 1
    assert "error: Military Revolutionary Committee does not hold the power sanction-factions" in (
        said(refused)
    )
    story.step(
        "power", "grant-power", MRC, "sanction-factions",
        "--decision", "Second Congress, 27 October 1917", "--at", "1917-10-27",
    )  # fmt: skip
    story.step(
        "ban", "sanction", "Mensheviks", "ban", "--by", MRC,
        "--effect", "Its delegates may not table motions", "--effect", "Its press is closed",
        "--at", "1917-10-28",
    )  # fmt: skip
    assert "Mensheviks banned by Military Revolutionary Committee" in story.said["ban"]
    powers = story.json("powers", MRC, "--at", "1917-10-27")
    assert [p["power"] for p in powers["powers"]] == [  # type: ignore[attr-defined]
        "issue-orders",
        "countersign",
        "sanction-factions",
    ]
    assert story.json("faction", "Mensheviks", "--at", "1917-10-27")["state"] == "active"
    banned = story.json("faction", "Mensheviks", "--at", "1917-10-28")
    assert banned["state"] == "banned"
    assert banned["sanction"]["effects"] == [  # type: ignore[index]
        "Its delegates may not table motions",
        "Its press is closed",
    ]
    story.step(
        "revoke-power", "revoke-power", MRC, "sanction-factions",
        "--decision", "Congress, 29 October", "--at", "1917-10-29",
    )  # fmt: skip
    lift = story.run("lift", "Mensheviks", "--by", MRC, "--at", "1917-10-30")
    assert lift.returncode == 1
    assert "does not hold the power sanction-factions" in said(lift)
    assert verify_ledger(story.uow).ok


def test_an_outside_authority_cannot_be_granted_countersignature_power(story: Story) -> None:
    result = story.run("grant", "Provisional Government", VOLYNSKY, "--decision", "none")
    assert result.returncode == 1
    assert "Provisional Government is an outside authority, not a body of the federation" in (
        said(result)
    )


def test_a_malformed_moment_is_a_usage_error(story: Story) -> None:
    result = story.run("list", ORG, "--at", "1917-13-01")
    assert result.returncode == 2
    assert "YYYY-MM-DD" in said(result)
