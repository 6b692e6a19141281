"""The hash chain: sealing, reading back, and naming the first altered event."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from smolny.domain.events import FactionCreated, OrganizationCreated, SectionCreated
from smolny.ledger.chain import GENESIS, BrokenChain, StoredEvent, digest, seal, unseal, walk

T = datetime(2026, 1, 1, 12, tzinfo=UTC)


def chain(n: int) -> list[StoredEvent]:
    stored: list[StoredEvent] = []
    prev = GENESIS
    events = [OrganizationCreated(1, "Union", "union")] + [
        FactionCreated(i, 1, f"Faction {i}", f"F{i}", "#112233") for i in range(1, n)
    ]
    for seq, event in enumerate(events, start=1):
        s = seal(seq=seq, at=T, actor="test", organization_id=1, event=event, prev=prev)
        stored.append(s)
        prev = s.hash
    return stored


def head(stored: list[StoredEvent]) -> tuple[int, str]:
    return (stored[-1].seq, stored[-1].hash) if stored else (0, GENESIS)


def test_a_sealed_event_reads_back_as_the_same_event() -> None:
    event = SectionCreated(3, 2, "Soldiers' section — солдатская секция")
    stored = seal(seq=1, at=T, actor="me", organization_id=None, event=event, prev=GENESIS)
    recorded, prev = unseal(stored)
    assert recorded.event == event
    assert (recorded.seq, recorded.at, recorded.actor, prev) == (1, T, "me", GENESIS)
    assert stored.hash == digest(stored.body)


def test_the_body_is_canonical_json() -> None:
    stored = chain(1)[0]
    assert stored.body.startswith('{"actor":"test","at":"2026-01-01T12:00:00+00:00"')
    assert " " not in stored.body.replace("Union", "")


def test_an_intact_chain_walks_through() -> None:
    stored = chain(5)
    assert [r.seq for r in walk(stored, head(stored))] == [1, 2, 3, 4, 5]


def test_one_changed_byte_names_the_event() -> None:
    stored = chain(5)
    body = stored[2].body.replace("Faction 2", "Faction 7")
    stored[2] = replace(stored[2], body=body)
    with pytest.raises(BrokenChain) as broken:
        list(walk(stored, head(stored)))
    assert broken.value.seq == 3
    assert "altered" in str(broken.value)


def test_an_altered_and_rehashed_event_is_named_by_the_next_link() -> None:
    stored = chain(5)
    body = stored[1].body.replace("Faction 1", "Faction 9")
    stored[1] = replace(stored[1], body=body, hash=digest(body))
    with pytest.raises(BrokenChain) as broken:
        list(walk(stored, head(stored)))
    assert broken.value.seq == 2


def test_a_rehashed_last_event_is_caught_by_the_head() -> None:
    stored = chain(3)
    true_head = head(stored)
    body = stored[2].body.replace("Faction 2", "Faction 8")
    stored[2] = replace(stored[2], body=body, hash=digest(body))
    with pytest.raises(BrokenChain) as broken:
        list(walk(stored, true_head))
    assert broken.value.seq == 3


def test_a_removed_event_is_named() -> None:
    stored = chain(4)
    true_head = head(stored)
    del stored[1]
    with pytest.raises(BrokenChain) as broken:
        list(walk(stored, true_head))
    assert broken.value.seq == 2
    assert "missing" in str(broken.value)


def test_a_truncated_ledger_is_caught_by_the_head() -> None:
    stored = chain(4)
    true_head = head(stored)
    with pytest.raises(BrokenChain) as broken:
        list(walk(stored[:3], true_head))
    assert broken.value.seq == 4


def test_a_column_disagreeing_with_the_body_is_named() -> None:
    stored = chain(3)
    stored[1] = replace(stored[1], actor="someone else")
    with pytest.raises(BrokenChain) as broken:
        list(walk(stored, head(stored)))
    assert broken.value.seq == 2


def test_an_unreadable_body_is_named() -> None:
    stored = chain(2)
    stored[1] = replace(stored[1], body="{not json", hash=digest("{not json"))
    with pytest.raises(BrokenChain) as broken:
        list(walk(stored, head(stored)))
    assert broken.value.seq == 2
    assert "cannot be read" in str(broken.value)
