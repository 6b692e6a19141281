"""Approval ballots held as arrays: one row per distinct ballot, with how many voters cast it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from smolny.voting.profile import NO_CANDIDATE, ProfileError, RankedProfile

__all__ = ["ApprovalProfile"]


@dataclass(frozen=True, eq=False)
class ApprovalProfile:
    """Approval ballots: `approvals[i, c]` is True when ballot row i approves candidate c;
    `counts[i]` voters cast it. A row that approves no one is a blank ballot."""

    candidates: tuple[str, ...]
    approvals: NDArray[np.bool_]
    counts: NDArray[np.int64]
    withdrawn: frozenset[int] = frozenset()
    title: str = ""

    def __post_init__(self) -> None:
        if len(set(self.candidates)) != len(self.candidates):
            raise ProfileError("two candidates have the same name")
        approvals = self.approvals
        if approvals.ndim != 2 or approvals.shape[1] != len(self.candidates):
            raise ProfileError("approvals must be a 2-d array with one column per candidate")
        if approvals.dtype != np.bool_:
            raise ProfileError("approvals must be an array of booleans")
        if self.counts.shape != (approvals.shape[0],):
            raise ProfileError("there must be one count per approval ballot")
        if (self.counts < 1).any():
            row = int(np.argmax(self.counts < 1))
            raise ProfileError(f"ballot {row + 1} has a count below 1")
        for c in self.withdrawn:
            if not 0 <= c < len(self.candidates):
                raise ProfileError(f"withdrawn candidate {c + 1} does not exist")

    @classmethod
    def from_sets(
        cls,
        candidates: Sequence[str],
        ballots: Iterable[Iterable[str | int]],
        counts: Iterable[int] | None = None,
        **kwargs: object,
    ) -> ApprovalProfile:
        """Build from the set each ballot approves, by candidate name or index."""
        names = tuple(candidates)
        index = {name: i for i, name in enumerate(names)}
        rows: list[list[bool]] = []
        for n, ballot in enumerate(ballots):
            row = [False] * len(names)
            for choice in ballot:
                if isinstance(choice, str):
                    if choice not in index:
                        raise ProfileError(f"ballot {n + 1} approves {choice!r}, not a candidate")
                    c = index[choice]
                else:
                    c = int(choice)
                    if not 0 <= c < len(names):
                        raise ProfileError(
                            f"ballot {n + 1} approves candidate {c + 1}, who does not exist"
                        )
                row[c] = True
            rows.append(row)
        approvals = np.array(rows, dtype=np.bool_).reshape(len(rows), len(names))
        weights = (
            np.ones(len(rows), dtype=np.int64)
            if counts is None
            else np.asarray(list(counts), dtype=np.int64)
        )
        return cls(names, approvals, weights, **kwargs)  # type: ignore[arg-type]

    @classmethod
    def from_ranked(cls, profile: RankedProfile) -> ApprovalProfile:
        """Every candidate a ballot ranks, at any rank, is approved."""
        n = len(profile.counts)
        approvals = np.zeros((n, len(profile.candidates)), dtype=np.bool_)
        rows, cols = np.nonzero(profile.ballots != NO_CANDIDATE)
        approvals[rows, profile.ballots[rows, cols]] = True
        return cls(
            profile.candidates,
            approvals,
            profile.counts.copy(),
            withdrawn=profile.withdrawn,
            title=profile.title,
        )

    @property
    def total(self) -> int:
        """How many voters (ballots cast, blank ones included)."""
        return int(self.counts.sum())

    def tallies(self) -> NDArray[np.int64]:
        """Approvals per candidate (exact integers)."""
        totals: NDArray[np.int64] = np.zeros(len(self.candidates), dtype=np.int64)
        for c in range(len(self.candidates)):
            totals[c] = int(self.counts[self.approvals[:, c]].sum())
        return totals
