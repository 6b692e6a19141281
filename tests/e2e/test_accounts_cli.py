"""`smolny account ...` as the operator runs it, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
import subprocess
import sys

from smolny.domain.accounts import TokenKind
from smolny.services import accounts, federation
from smolny.store.database import connect
from smolny.store.uow import UnitOfWork
from tests.e2e.conftest import run_smolny, said, smolny_env


def test_create_admin_list_and_reset_print_links_that_work(database_url: str) -> None:
    engine = connect(database_url)
    uow = UnitOfWork(engine)
    try:
        org = federation.create_organization(uow, name="Dock Union", actor="test")
        member = federation.enroll_member(
            uow, organization_id=org.id, name="Olga Ivanova", number="D-7", actor="test"
        )
        made = run_smolny(
            database_url, "account", "create-admin", "dock-union", "olga", "--member", "D-7"
        )
        assert made.returncode == 0, said(made)
        (link,) = re.findall(r"http://127\.0\.0\.1:8000/invite/(\S+)", made.stdout)
        view = accounts.link_view(uow, link, TokenKind.INVITATION)
        assert view.account is not None
        assert (view.account.login, view.member) == ("olga", member)
        accounts.accept_invitation(uow, token=link, password="dockers of the world")

        listed = run_smolny(database_url, "account", "list", "Dock Union")
        assert listed.returncode == 0
        cells = " ".join(said(listed).replace("│", " ").split())
        assert "olga Olga Ivanova D-7 administrator set" in cells

        reset = subprocess.run(
            [sys.executable, "-m", "smolny", "account", "reset", "OLGA"],
            env=smolny_env(database_url, SMOLNY_BASE_URL="https://council.example.org/"),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert reset.returncode == 0, reset.stderr
        (token,) = re.findall(r"https://council\.example\.org/reset/(\S+)", reset.stdout)
        accounts.reset_password(uow, token=token, password="a brand new passphrase")
        assert accounts.log_in(uow, login="olga", password="a brand new passphrase", address="x")

        unknown = run_smolny(database_url, "account", "reset", "nobody")
        assert unknown.returncode == 1
        assert "error: no account with the login name 'nobody'" in said(unknown)
        taken = run_smolny(database_url, "account", "create-admin", "Dock Union", "olga")
        assert taken.returncode == 1
        assert "the login name 'olga' is taken" in said(taken)
        weak = run_smolny(database_url, "account", "create-admin", "Dock Union", "x y")
        assert "login name 'x y'" in said(weak)
    finally:
        engine.dispose()


def test_disable_and_enable_an_account_from_the_command_line(database_url: str) -> None:
    engine = connect(database_url)
    uow = UnitOfWork(engine)
    try:
        org = federation.create_organization(uow, name="Tram Union", actor="test")
        member = federation.enroll_member(
            uow, organization_id=org.id, name="Pyotr Orlov", number="T-1", actor="test"
        )
        _, token = accounts.create_administrator(uow, organization_id=org.id, login="chief")
        accounts.accept_invitation(uow, token=token, password="tramways of the world")
        invitation = accounts.issue_invitation(uow, member_id=member.id)
        pyotr = accounts.accept_invitation(
            uow, token=invitation, password="rails and wires 1917", login="pyotr"
        )
        signed = accounts.log_in(uow, login="pyotr", password="rails and wires 1917", address="x")
        _, api = accounts.create_api_token(uow, account_id=pyotr.id, name="timetable")

        done = run_smolny(database_url, "account", "disable", "PYOTR", "--reason", "left the union")
        assert done.returncode == 0, said(done)
        assert "The account 'pyotr' is disabled: its sessions have ended" in said(done)
        assert accounts.resolve_session(uow, signed.token) is None
        assert accounts.resolve_api_token(uow, api) is None
        listed = run_smolny(database_url, "account", "list", "Tram Union")
        cells = " ".join(said(listed).replace("│", " ").split())
        today = uow.now().date().isoformat()
        assert f"disabled on {today} by the operator: left the union" in cells
        assert "chief" in cells
        assert "active" in cells

        again = run_smolny(database_url, "account", "disable", "pyotr")
        assert again.returncode == 1
        assert "error: the account 'pyotr' is already disabled" in said(again)
        last = run_smolny(database_url, "account", "disable", "chief")
        assert last.returncode == 1
        assert "'chief' is the last active administrator" in said(last)
        unknown = run_smolny(database_url, "account", "enable", "nobody")
        assert "error: no account with the login name 'nobody'" in said(unknown)

        enabled = run_smolny(database_url, "account", "enable", "pyotr")
        assert enabled.returncode == 0, said(enabled)
        assert "The account 'pyotr' is enabled" in said(enabled)
        assert accounts.log_in(uow, login="pyotr", password="rails and wires 1917", address="x")
        listed = run_smolny(database_url, "account", "list", "Tram Union")
        assert "disabled" not in said(listed)
    finally:
        engine.dispose()
