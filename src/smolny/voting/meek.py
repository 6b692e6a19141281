"""The single transferable vote by Meek's method (Hill, Wichmann & Woodall, "Algorithm 123:
Single Transferable Vote by Meek's method", Computer Journal 30, 1987; the New Zealand
rules, Local Electoral Regulations 2001, Schedule 1A).

Every candidate has a keep factor: 1 while hopeful, 0 once excluded, and for an elected
candidate the share of each vote reaching them that they keep. Each ballot starts worth 1
and goes down its preferences: each candidate keeps value × keep factor and passes the rest
on; what is left after the last preference is the excess (non-transferable). The quota is
(total votes − excess) ÷ (seats + 1), truncated to the precision, plus one unit of the
precision. A hopeful candidate who reaches the quota is elected. Elected candidates' keep
factors are then brought down, iteration by iteration, to keep factor × quota ÷ votes, until
every elected candidate's votes are within the tolerance of the quota (or the total surplus
stops going down, or an iteration limit is reached); when that happens with no new
election, the hopeful candidate with the fewest votes is excluded (keep factor 0).

Fixed-point integer arithmetic with `precision` decimal places (scale 10**precision), as
the NZ rules prescribe: the value a candidate keeps is rounded up and the rest passed on
exactly (so the passed value is rounded down); keep factors are rounded up at both steps of
their update; the quota is truncated and one unit added. Votes are therefore conserved
exactly: the candidates' votes and the excess always add up to the number of ballots.

Ties: equal lowest hopefuls (or more candidates reaching the quota at once than there are
seats left): by the most recent earlier round at which their votes differed, then by lot.
A ballot whose next rank holding a candidate with a positive keep factor is a tie between
two or more such candidates passes nothing further (its remaining value is excess).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from smolny.voting.profile import RankedProfile
from smolny.voting.result import CountError, CountResult, Round, Tie
from smolny.voting.ties import Lots
from smolny.voting.transfers import Table, break_tie, check_count, order_by_history, prepare
from smolny.voting.transfers import units as as_decimal

MAX_ITERATIONS = 1000  # per round; a stable surplus normally ends a round long before


def meek_stv(
    profile: RankedProfile, seats: int, *, seed: int | None = None, precision: int = 9
) -> CountResult:
    """Count `seats` seats by Meek's method (see the module), values in units of
    10**-precision of a vote."""
    if not 1 <= precision <= 9:
        raise CountError(f"precision must be 1 to 9 decimal places, not {precision}")
    eligible = check_count(profile, seats)
    scale = 10**precision
    if profile.total * scale >= 2**62:
        raise CountError(f"{profile.total} ballots are too many for exact 64-bit arithmetic")
    count = _Meek(profile, prepare(profile), eligible, seats, scale, Lots(seed))
    count.run()
    names = profile.candidates
    return CountResult(
        method="meek-stv",
        seats=seats,
        candidates=names,
        elected=tuple(names[c] for c in count.elected),
        rounds=tuple(count.rounds),
        ties=tuple(count.ties),
        scale=scale,
        seed=seed if count.lots.drawn else None,
        details={
            "precision": precision,
            "tolerance": count.tolerance,
            "tolerance_rule": f"keep factors are iterated until every elected candidate's "
            f"votes are within {as_decimal(count.tolerance, scale)} of the quota, or the "
            f"total surplus stops decreasing, or {MAX_ITERATIONS} iterations",
            "rounding": "kept value rounded up, passed value rounded down; keep factors "
            "rounded up; quota truncated plus one unit",
            "keep_factors": count.keep_factors,
            "iterations": count.iterations,
            "tie_rule": "the most recent earlier round at which the tied candidates' votes "
            "differed, then lot",
        },
    )


class _Meek:
    def __init__(
        self,
        profile: RankedProfile,
        table: Table,
        eligible: list[int],
        seats: int,
        scale: int,
        lots: Lots,
    ) -> None:
        self.names = profile.candidates
        self.eligible = eligible
        self.seats = seats
        self.scale = scale
        self.lots = lots
        self.total = profile.total * scale
        # One unit of 0.00001 of a vote (at least one unit of the precision).
        self.tolerance = max(1, scale // 100_000)
        width = table.width - 1
        self.rows = table.rows[:, :width]
        self.counts = table.counts
        self.n = len(self.names)
        self.kf = np.zeros(self.n + 1, dtype=np.int64)  # index -1 (padding) stays 0
        self.kf[eligible] = scale
        self.hopeful = list(eligible)
        self.elected: list[int] = []
        self.excluded: list[int] = []
        # Where each ballot position's kept value goes, for exact integer sums.
        flat = self.rows.ravel()
        self._present = np.flatnonzero(flat >= 0)
        keys = flat[self._present].astype(np.int64)
        self._order = np.argsort(keys, kind="stable")
        sorted_keys = keys[self._order]
        self._starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
        self._owners = sorted_keys[self._starts]
        self._groups = self._tie_groups(table, width)
        self.votes: list[int] = [0] * self.n
        self.excess = 0
        self.quota = 0
        self.history: list[dict[int, int]] = []
        self.rounds: list[Round] = []
        self.ties: list[Tie] = []
        self.keep_factors: list[dict[str, str]] = []
        self.iterations: list[int] = []

    @staticmethod
    def _tie_groups(table: Table, width: int) -> tuple[NDArray[np.int64], NDArray[np.int64]] | None:
        """(first, last) position of the rank each position belongs to, when ties exist."""
        if table.group_end is None:
            return None
        end = table.group_end[:, :width].astype(np.int64)
        start = np.empty_like(end)
        if width:
            start[:, 0] = 0
        for j in range(1, width):
            start[:, j] = np.where(end[:, j - 1] >= j, start[:, j - 1], j)
        return start, end

    # -- one distribution of every ballot ---------------------------------------------------
    def distribute(self) -> None:
        scale = self.scale
        kept_at = self.kf[self.rows]  # keep factor at each ballot position
        if self._groups is not None:
            start, end = self._groups
            positive = kept_at > 0
            before = np.zeros((len(self.rows), self.rows.shape[1] + 1), dtype=np.int64)
            np.cumsum(positive, axis=1, out=before[:, 1:])
            in_rank = np.take_along_axis(before, end + 1, 1) - np.take_along_axis(before, start, 1)
            dead = np.cumsum(positive & (in_rank >= 2), axis=1) > 0
            kept_at[dead] = 0
        value = np.full(len(self.rows), scale, dtype=np.int64)
        for j in range(self.rows.shape[1]):
            keep = (value * kept_at[:, j] + (scale - 1)) // scale  # rounded up
            kept_at[:, j] = keep
            value -= keep
        kept_at *= self.counts[:, None]
        sums = np.add.reduceat(kept_at.ravel()[self._present][self._order], self._starts)
        votes = [0] * self.n
        for c, v in zip(self._owners.tolist(), sums.tolist(), strict=True):
            votes[c] = v
        self.votes = votes
        self.excess = int((value * self.counts).sum())
        self.quota = (self.total - self.excess) // (self.seats + 1) + 1

    def update_keep_factors(self) -> None:
        scale, quota = self.scale, self.quota
        for c in self.elected:
            votes = self.votes[c]
            if votes > 0:
                product = -(-int(self.kf[c]) * quota // scale)  # rounded up
                self.kf[c] = min(scale, -(-product * scale // votes))  # rounded up

    # -- the count ------------------------------------------------------------------------
    def run(self) -> None:
        self.distribute()
        self.finish_round("first preferences", 1, (), "")
        while len(self.elected) < self.seats:
            before = self.votes, self.excess
            iterations, reason, surplus = 0, "", 0
            last: int | None = None
            while True:
                self.update_keep_factors()
                self.distribute()
                iterations += 1
                if any(self.votes[c] >= self.quota for c in self.hopeful):
                    break
                surplus = sum(self.votes[c] - self.quota for c in self.elected)
                if all(abs(self.votes[c] - self.quota) <= self.tolerance for c in self.elected):
                    reason = "every elected candidate's votes are within the tolerance"
                    break
                if last is not None and surplus >= last:
                    reason = "the total surplus stopped decreasing"
                    break
                if iterations >= MAX_ITERATIONS:
                    reason = f"{MAX_ITERATIONS} iterations"
                    break
                last = surplus
            changes = self.changes(*before)
            if not reason:
                self.finish_round(
                    f"votes redistributed ({iterations} iteration{'s' if iterations != 1 else ''})",
                    iterations,
                    (),
                    "Every ballot passed down its preferences again, elected candidates "
                    "keeping only their keep factor's share, until a hopeful candidate "
                    "reached the quota.",
                    changes,
                )
                continue
            self.exclude_lowest(iterations, reason, surplus, changes)

    def exclude_lowest(
        self, iterations: int, reason: str, surplus: int, changes: dict[str, int]
    ) -> None:
        names, votes = self.names, self.votes
        low = min(votes[c] for c in self.hopeful)
        tied = [c for c in self.hopeful if votes[c] == low]
        note = ""
        if len(tied) > 1:
            x, how = break_tie(
                tied, self.history, self.lots, lowest=True, names=names, what="the exclusion"
            )
            self._tie(tied, "exclusion", how, x)
            note = f"Equal lowest, decided by {how}. "
        else:
            x = tied[0]
        self.hopeful.remove(x)
        self.excluded.append(x)
        self.kf[x] = 0
        self.finish_round(
            f"exclusion of {names[x]}",
            iterations,
            (names[x],),
            note + f"Keep factors settled after {iterations} iteration"
            f"{'s' if iterations != 1 else ''} ({reason}; total surplus "
            f"{as_decimal(surplus, self.scale)}) with no hopeful candidate at the quota: "
            f"{names[x]}, lowest with {as_decimal(low, self.scale)}, is excluded (keep "
            f"factor 0); their votes pass on in the next round.",
            changes,
            keep=x,
        )

    def finish_round(
        self,
        action: str,
        iterations: int,
        excluded: tuple[str, ...],
        note: str,
        changes: dict[str, int] | None = None,
        keep: int | None = None,
    ) -> None:
        """Record the round (tallies as the last distribution left them); elect those at
        the quota and, when the hopefuls are as many as the seats left, all of them."""
        names, votes = self.names, self.votes
        shown = [c for c in self.eligible if c not in self.excluded or c == keep]
        self.history.append({c: votes[c] for c in self.eligible})
        newly = self.elect_reaching_quota()
        if newly:
            note += f" {', '.join(names[c] for c in newly)} reached the quota (elected)."
        vacancies = self.seats - len(self.elected)
        if vacancies > 0 and len(self.hopeful) <= vacancies:
            last = order_by_history(self.hopeful, votes, self.history)
            self.elected.extend(last)
            self.hopeful = []
            newly = newly + last
            note += (
                f" The hopeful candidates are as many as the seats left: "
                f"{', '.join(names[c] for c in last)} elected."
            )
        self.rounds.append(
            Round(
                number=len(self.rounds) + 1,
                action=action,
                tallies={names[c]: votes[c] for c in shown},
                transfers=changes or {},
                exhausted=self.excess,
                lost=0,
                elected=tuple(names[c] for c in newly),
                excluded=excluded,
                quota=self.quota,
                note=note.strip(),
            )
        )
        self.keep_factors.append(
            {names[c]: as_decimal(int(self.kf[c]), self.scale) for c in self.elected}
        )
        self.iterations.append(iterations)

    def elect_reaching_quota(self) -> list[int]:
        votes = self.votes
        reached = order_by_history(
            [c for c in self.hopeful if votes[c] >= self.quota], votes, self.history
        )
        vacancies = self.seats - len(self.elected)
        if len(reached) > vacancies:
            # More at the quota than seats left: the most votes; equal at the cut by the
            # tie rule.
            cut = votes[reached[vacancies - 1]]
            sure = [c for c in reached if votes[c] > cut]
            tied = [c for c in reached if votes[c] == cut]
            while len(sure) < vacancies:
                x, how = break_tie(
                    tied, self.history, self.lots, lowest=False, names=self.names, what="election"
                )
                self._tie(tied, "election", how, x)
                sure.append(x)
                tied.remove(x)
            reached = sure
        for c in reached:
            self.hopeful.remove(c)
            self.elected.append(c)
        return reached

    def changes(self, votes: list[int], excess: int) -> dict[str, int]:
        """Net change of each candidate's votes (and of the excess) since the last round."""
        out = {
            self.names[c]: self.votes[c] - votes[c]
            for c in self.eligible
            if self.votes[c] != votes[c]
        }
        out["non-transferable"] = self.excess - excess
        return out

    def _tie(self, tied: list[int], decides: str, how: str, chosen: int) -> None:
        self.ties.append(
            Tie(
                round=len(self.rounds) + 1,
                between=tuple(self.names[c] for c in sorted(tied)),
                decides=decides,
                resolved_by=how,
                chosen=(self.names[chosen],),
            )
        )
