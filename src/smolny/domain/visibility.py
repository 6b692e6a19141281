"""Who may read an organization's pages: everyone if it made them public, else its own.

An organization chooses whether its composition, published results, minutes and the rest
of its record are public. When they are not, only the accounts of the organization (its
members and administrators) and the site's operator read them; anyone else is told to
log in, and someone signed in elsewhere is told nothing about it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True)
class Viewer:
    """Who is reading: no one signed in, an account of an organization, or the operator
    (the API's SMOLNY_ADMIN_TOKEN), who reads everything."""

    organization_id: int | None = None
    operator: bool = False

    @property
    def anonymous(self) -> bool:
        return self.organization_id is None and not self.operator


ANONYMOUS = Viewer()
OPERATOR = Viewer(operator=True)


class Sight(StrEnum):
    """What a viewer gets of an organization's pages."""

    SEEN = "seen"
    LOG_IN = "log-in"  # not public, no one signed in: ask them to log in
    HIDDEN = "hidden"  # not public, signed in to another organization: as if it did not exist


def sight(viewer: Viewer, organization_id: int, public: bool) -> Sight:
    if public or viewer.operator or viewer.organization_id == organization_id:
        return Sight.SEEN
    return Sight.LOG_IN if viewer.anonymous else Sight.HIDDEN


def may_see(viewer: Viewer, organization_id: int, public: bool) -> bool:
    return sight(viewer, organization_id, public) is Sight.SEEN
