"""Public pages: whether an organization's record is open to everyone, who may read it,
and which organization a request is about.

The setting lives beside the ledger (smolny.store.organization_settings); the rule is
smolny.domain.visibility. The web's one dependency (smolny.web.visibility) asks here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from smolny.domain.accounts import Account
from smolny.domain.ballots import MemberBallot
from smolny.domain.congress import Convocation, Petition
from smolny.domain.elections import Election
from smolny.domain.errors import Forbidden
from smolny.domain.federation import Constituency, Council, Faction, Member, Organization
from smolny.domain.mandates import Mandate
from smolny.domain.orders import Order, Unit
from smolny.domain.sittings import Motion, Sitting, Vote
from smolny.store import organization_settings as store
from smolny.store.repository import Repository
from smolny.store.uow import UnitOfWork

__all__ = [
    "ORGANIZATION_PARAMETERS",
    "PublicSetting",
    "is_public",
    "organization_of",
    "private_organizations",
    "require_administrator",
    "set_public",
    "setting_of",
]


@dataclass(frozen=True)
class PublicSetting:
    organization: Organization
    public: bool
    changed_at: datetime | None  # None: never chosen (public by default)
    changed_by: str | None


def is_public(uow: UnitOfWork, organization_id: int) -> bool:
    with uow:
        return store.is_public(uow.connection, organization_id)


def setting_of(uow: UnitOfWork, organization_id: int) -> PublicSetting:
    with uow:
        organization = uow.repo.get(Organization, organization_id)
        row = store.setting(uow.connection, organization_id)
    if row is None:
        return PublicSetting(organization, store.DEFAULT_PUBLIC, None, None)
    return PublicSetting(organization, row.public, row.changed_at, row.changed_by)


def private_organizations(uow: UnitOfWork) -> frozenset[int]:
    with uow:
        return frozenset(store.private_organizations(uow.connection))


def set_public(
    uow: UnitOfWork, *, organization_id: int, public: bool, account: Account | None, actor: str
) -> PublicSetting:
    """An administrator of the organization (or the operator, `account` None) chooses
    whether its pages are public. Not a ledger event: who may read the record is not part
    of it."""
    with uow:
        if account is not None:
            require_administrator(uow, account, organization_id)
        store.set_public(uow.connection, organization_id, public, at=uow.now(), by=actor)
        uow.commit()
    return setting_of(uow, organization_id)


def require_administrator(uow: UnitOfWork, account: Account, organization_id: int) -> None:
    """Forbidden unless the account administers the organization."""
    with uow:
        organization = uow.repo.get(Organization, organization_id)
    if not account.administrator or account.organization_id != organization_id:
        raise Forbidden(
            f"only an administrator of {organization.name} can choose whether its pages are public"
        )


# -- which organization a request is about ---------------------------------------------------


def _council(repo: Repository, council_id: int) -> int:
    return repo.get(Council, council_id).organization_id


def _constituency(repo: Repository, constituency_id: int) -> int:
    return _council(repo, repo.get(Constituency, constituency_id).council_id)


def _sitting(repo: Repository, sitting_id: int) -> int:
    return repo.get(Sitting, sitting_id).organization_id


# Each path parameter that names something of one organization, and how to find it.
_RESOLVERS: dict[str, Callable[[Repository, int], int]] = {
    "organization_id": lambda repo, i: repo.get(Organization, i).id,
    "council_id": _council,
    "committee_id": _council,
    "congress_id": _council,
    "constituency_id": _constituency,
    "faction_id": lambda repo, i: repo.get(Faction, i).organization_id,
    "member_id": lambda repo, i: repo.get(Member, i).organization_id,
    "mandate_id": lambda repo, i: _council(repo, repo.get(Mandate, i).council_id),
    "election_id": lambda repo, i: _council(repo, repo.get(Election, i).council_id),
    "sitting_id": _sitting,
    "motion_id": lambda repo, i: _council(repo, repo.get(Motion, i).council_id),
    "vote_id": lambda repo, i: _sitting(repo, repo.get(Vote, i).sitting_id),
    "petition_id": lambda repo, i: _constituency(repo, repo.get(Petition, i).constituency_id),
    "convocation_id": lambda repo, i: _council(repo, repo.get(Convocation, i).council_id),
    "unit_id": lambda repo, i: repo.get(Unit, i).organization_id,
    "order_id": lambda repo, i: repo.get(Order, i).organization_id,
    "ballot_id": lambda repo, i: repo.get(MemberBallot, i).organization_id,
}
ORGANIZATION_PARAMETERS = tuple(_RESOLVERS)  # docs/public.md lists them


def organization_of(uow: UnitOfWork, path_params: Mapping[str, object]) -> int | None:
    """The organization a request's path is about, from the first id it names (None if it
    names none). An id that does not exist raises NotFound, as the route itself would."""
    with uow:
        for name, value in path_params.items():
            if name in _RESOLVERS and str(value).isdigit():
                return int(_RESOLVERS[name](uow.repo, int(str(value))))
    return None
