"""Writing and reading an organization's chronicle (see `smolny.domain.chronicle`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select

from smolny.domain.chronicle import ChronicleEntered, ChronicleEntry, Source
from smolny.domain.errors import InvalidInput
from smolny.domain.federation import Organization
from smolny.store.chronicle import chronicle_entries
from smolny.store.uow import UnitOfWork


def enter_chronicle(
    uow: UnitOfWork,
    *,
    organization_id: int,
    title: str,
    text: str = "",
    sources: Sequence[Source] = (),
    assumptions: Sequence[str] = (),
    actor: str,
    at: datetime | None = None,
) -> ChronicleEntry:
    """Enter what happened, with its sources and the assumptions made where they are silent."""
    title = title.strip()
    if not title:
        raise InvalidInput("a chronicle entry needs a title", field="title")
    if len(title) > 300:
        raise InvalidInput("a chronicle entry's title is at most 300 characters", field="title")
    for source in sources:
        if not source.label.strip():
            raise InvalidInput("a source needs a label", field="sources")
        if source.url and not source.url.startswith(("https://", "http://")):
            raise InvalidInput(
                f"{source.label}: a source's address is a web address", field="sources"
            )
    with uow:
        uow.lock()
        uow.repo.get(Organization, organization_id)
        entry_id = uow.repo.next_id(ChronicleEntry)
        uow.record(
            ChronicleEntered(
                entry_id,
                organization_id,
                title,
                text.strip(),
                tuple(s.label.strip() for s in sources),
                tuple(s.url.strip() for s in sources),
                tuple(a.strip() for a in assumptions if a.strip()),
            ),
            at=uow.moment(at, organization_id),
            actor=actor,
            organization_id=organization_id,
        )
        entry = uow.repo.get(ChronicleEntry, entry_id)
        uow.commit()
    return entry


def chronicle(
    uow: UnitOfWork, organization_id: int, until: datetime | None = None
) -> list[ChronicleEntry]:
    """The organization's chronicle in order, up to `until` if given."""
    with uow:
        uow.repo.get(Organization, organization_id)
        conditions = [chronicle_entries.c.organization_id == organization_id]
        if until is not None:
            conditions.append(chronicle_entries.c.at <= until)
        return uow.repo.where(ChronicleEntry, *conditions)


def organizations_with_chronicle(uow: UnitOfWork) -> list[int]:
    """The organizations that keep a chronicle, in the order they were created."""
    with uow:
        rows = uow.repo.connection.execute(
            select(chronicle_entries.c.organization_id)
            .distinct()
            .order_by(chronicle_entries.c.organization_id)
        )
        return [int(oid) for (oid,) in rows]
