"""`smolny account ...`: administrators' accounts, password resets, disabling and enabling
accounts, the accounts of an organization. No mail server is assumed: the commands print
the one-time links."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from smolny.commands.common import out, unit_of_work
from smolny.domain.accounts import RESET_LIFETIME, Account, TokenKind
from smolny.domain.federation import Member
from smolny.services import accounts
from smolny.services.lookup import find_organization
from smolny.settings import Settings

app = typer.Typer(
    help="Accounts: administrators, password resets (one-time links), disabling, the list.",
    no_args_is_help=True,
)


def _link(kind: TokenKind, token: str) -> str:
    return Settings.from_env().site_url + accounts.link_path(kind, token)


@app.command("create-admin")
def create_admin(
    organization: Annotated[str, typer.Argument(help="The organization: id, name or slug.")],
    login: Annotated[str, typer.Argument(help="The administrator's login name.")],
    member: Annotated[
        str | None,
        typer.Option("--member", help="The membership number, if the administrator is a member."),
    ] = None,
) -> None:
    """Create an administrator's account and print the one-time link that sets its
    password."""
    uow = unit_of_work()
    found = find_organization(uow, organization)
    member_id = None
    if member is not None:
        with uow:
            enrolled = uow.repo.member_by_number(found.id, member.strip())
        if enrolled is None:
            raise typer.BadParameter(f"no member numbered {member!r} in {found.name}")
        member_id = enrolled.id
    account, token = accounts.create_administrator(
        uow, organization_id=found.id, login=login, member_id=member_id
    )
    out.print(
        f"Administrator {account.login!r} of {found.name} created. To set the password, open "
        "(once, within 14 days):",
        highlight=False,
    )
    out.print(_link(TokenKind.INVITATION, token), highlight=False, soft_wrap=True)


@app.command("reset")
def reset(login: Annotated[str, typer.Argument(help="The account's login name.")]) -> None:
    """Print a one-time link that sets a new password for the account (earlier reset
    links stop working; the account's sessions end when it is used)."""
    account, token = accounts.issue_reset(unit_of_work(), login=login)
    hours = int(RESET_LIFETIME.total_seconds() // 3600)
    out.print(
        f"A new password for {account.login!r}: open (once, within {hours} hours):",
        highlight=False,
    )
    out.print(_link(TokenKind.RESET, token), highlight=False, soft_wrap=True)


@app.command("disable")
def disable(
    login: Annotated[str, typer.Argument(help="The account's login name.")],
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why, kept with the account (optional).")
    ] = None,
) -> None:
    """Disable an account at once: its sessions end, its API tokens are revoked, its links
    stop working, and logging in is refused until it is enabled."""
    uow = unit_of_work()
    account = accounts.account_by_login(uow, login)
    accounts.disable_account(uow, account_id=account.id, by=None, reason=reason)
    out.print(
        f"The account {account.login!r} is disabled: its sessions have ended, its API tokens "
        "are revoked and its links no longer work.",
        highlight=False,
    )


@app.command("enable")
def enable(login: Annotated[str, typer.Argument(help="The account's login name.")]) -> None:
    """Let a disabled account log in again (it makes new API tokens)."""
    uow = unit_of_work()
    account = accounts.account_by_login(uow, login)
    accounts.enable_account(uow, account_id=account.id, by=None)
    out.print(f"The account {account.login!r} is enabled: it can log in again.", highlight=False)


def _status(account: Account, logins: dict[str, str]) -> str:
    if account.disabled_at is None:
        return "active" if account.has_password else "invited"
    by = account.disabled_by or ""
    who = "the operator" if by == accounts.OPERATOR else logins.get(by, by)
    said = f"disabled on {account.disabled_at.date().isoformat()} by {who}"
    return said + (f": {account.disabled_reason}" if account.disabled_reason else "")


@app.command("list")
def list_accounts(
    organization: Annotated[str, typer.Argument(help="The organization: id, name or slug.")],
) -> None:
    """The accounts of an organization: login, member, administrator, password set, and
    whether it is disabled (when, by whom, why)."""
    uow = unit_of_work()
    found = find_organization(uow, organization)
    listed = accounts.accounts_of(uow, found.id)
    with uow:
        members = uow.repo.members_by_id(a.member_id for a in listed if a.member_id)
    logins = {a.actor: a.login for a in listed}
    table = Table(title=f"Accounts of {found.name}")
    for column in ("Login", "Member", "Number", "Role", "Password", "Since", "Status"):
        table.add_column(column)
    for a in listed:
        member: Member | None = members.get(a.member_id) if a.member_id else None
        table.add_row(
            a.login,
            member.name if member else "",
            member.number if member else "",
            "administrator" if a.administrator else "member",
            "set" if a.has_password else "not yet (invited)",
            a.created_at.date().isoformat(),
            _status(a, logins),
        )
    out.print(table)
    if not listed:
        out.print("No accounts yet: `smolny account create-admin` makes the first.")
