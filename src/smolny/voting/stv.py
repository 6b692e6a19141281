"""The single transferable vote as Scottish councils count it: the Scottish Local Government
Elections Order 2007 (SSI 2007/42), Schedule 1, rules 45 to 52.

* Rule 45: each valid paper counts one vote for its first preference.
* Rule 46: quota = (valid papers ÷ (seats + 1), decimals ignored) + 1.
* Rule 47: a candidate whose votes equal or exceed the quota is deemed elected.
* Rule 48: a surplus (votes over the quota) is transferred by sorting ALL the papers the
  candidate holds by next available preference (weighted inclusive Gregory): each paper
  passes at (surplus × the paper's value when received) ÷ (the candidate's total votes),
  calculated to five decimal places, any remainder ignored. Papers with no next available
  preference are non-transferable; their share of the surplus is exhausted.
* Rule 49: one surplus at a time, the largest first. Equal surpluses: first the candidate
  with the most votes at the end of the most recent preceding stage at which their votes
  were unequal; equal at every stage: by lot.
* Rule 50: with no surplus to transfer, the candidate with the lowest vote is excluded and
  each of their papers passes at its current value (one for a first preference, else the
  transfer value it came with) to its next available preference, all in one stage.
* Rule 51: equal lowest: the one with the fewest votes at the end of the most recent
  preceding stage at which their votes were unequal is excluded; equal at every stage: by
  lot.
* Rule 52: when the continuing candidates are as many as the vacancies left they are all
  deemed elected, and no further transfer is made.

Note on ties: the Scottish Order looks back to the MOST RECENT preceding stage at which the
tied candidates' votes were unequal (rules 49(2) and 51(2)(a)); the Northern Irish and Irish
rules look at the earliest such stage instead. pref_voting and Droop read it the same way.

Values are integers in units of 0.00001 of a vote (scale 100000), so the five-decimal
truncation is exact. After its surplus is transferred an elected candidate is credited with
exactly the quota; what truncation left over is recorded as lost.

Differences from pref_voting's `stv_scottish` (both counts otherwise follow the same rules
and elect the same candidates on all 347 wards of the 2022 Scottish council elections):

* pref_voting leaves the truncation remainder with the elected candidate, who then stays a
  few 0.00001s above the quota and may have that remainder transferred again as a further
  surplus stage. Under rule 48 a candidate's surplus is transferred once: the papers that
  carried it have moved on and the candidate is left with the quota; the remainder is not
  a new surplus (rule 48(3)(a) only requires that the transferred value not exceed the
  surplus). Smolny records the remainder as lost and makes no further stage for it.
* pref_voting uses floating-point numbers (with a 1e-12 tolerance); Smolny uses exact
  integers.
* pref_voting transfers any pending surplus before applying rule 52; Smolny applies rule
  52 at the end of every stage ("no further transfer shall be made"). Same winners.
"""

from __future__ import annotations

import numpy as np

from smolny.voting.profile import RankedProfile
from smolny.voting.result import CountError, CountResult, Round, Tie
from smolny.voting.ties import Lots
from smolny.voting.transfers import (
    Moved,
    Piles,
    break_tie,
    check_count,
    order_by_history,
    prepare,
    units,
)

SCALE = 100_000  # five decimal places (rule 48(3))
TIE_RULE = (
    "rules 49 and 51: the most recent preceding stage at which the tied candidates' votes "
    "were unequal (highest for a surplus, lowest for an exclusion), then lot"
)
BALLOT_TIE_RULE = (
    "a paper whose next available preference is a tie between continuing candidates is "
    "non-transferable from then on; one whose first preference is a tie is void"
)


def scottish_stv(profile: RankedProfile, seats: int, *, seed: int | None = None) -> CountResult:
    """Count `seats` seats by the Scottish STV rules (see the module); every stage and
    tie recorded, values in units of 0.00001 of a vote."""
    eligible = check_count(profile, seats)
    names = profile.candidates
    continuing = np.zeros(len(names), dtype=np.bool_)
    continuing[eligible] = True
    piles = Piles(prepare(profile), continuing, SCALE)
    invalid = piles.first.papers_exhausted
    valid = profile.total - invalid
    if valid == 0:
        raise CountError("no valid ballot paper: none gives a usable first preference")
    if valid * SCALE * SCALE >= 2**63:
        raise CountError(f"{valid} ballots are too many for exact 64-bit arithmetic")
    quota = (valid // (seats + 1) + 1) * SCALE
    count = _Count(names, eligible, seats, quota, piles, Lots(seed))
    count.end_stage(
        "first preferences",
        {},
        (),
        f"Rules 45-46: each valid paper counts one vote for its first preference; "
        f"{valid} valid papers, quota = floor({valid} / {seats + 1}) + 1 = "
        f"{quota // SCALE}." + (f" {invalid} void paper(s) not counted." if invalid else ""),
    )
    while len(count.elected) < seats:
        if count.pending:
            count.transfer_surplus()
        else:
            count.exclude_lowest()
    return CountResult(
        method="scottish-stv",
        seats=seats,
        candidates=names,
        elected=tuple(names[c] for c in count.elected),
        rounds=tuple(count.rounds),
        ties=tuple(count.ties),
        scale=SCALE,
        seed=seed if count.lots.drawn else None,
        details={
            "rules": "Scottish Local Government Elections Order 2007 (SSI 2007/42), "
            "Schedule 1, rules 45-52",
            "quota": quota,
            "valid_papers": valid,
            "void_papers": invalid,
            "decimals": 5,
            "tie_rule": TIE_RULE,
            "ballot_tie_rule": BALLOT_TIE_RULE,
        },
    )


class _Count:
    """The state of one count between stages."""

    def __init__(
        self,
        names: tuple[str, ...],
        eligible: list[int],
        seats: int,
        quota: int,
        piles: Piles,
        lots: Lots,
    ) -> None:
        self.names = names
        self.eligible = eligible
        self.seats = seats
        self.quota = quota
        self.piles = piles
        self.lots = lots
        self.continuing = np.zeros(len(names), dtype=np.bool_)
        self.continuing[eligible] = True
        self.elected: list[int] = []
        self.excluded: set[int] = set()
        self.pending: list[int] = []  # elected with a surplus not yet transferred
        self.exhausted = 0
        self.lost = 0
        self.history: list[dict[int, int]] = []
        self.rounds: list[Round] = []
        self.ties: list[Tie] = []

    def live(self) -> list[int]:
        return [c for c in self.eligible if self.continuing[c]]

    def transfer_surplus(self) -> None:
        """Rules 48-49: transfer the largest surplus."""
        tally, quota, names = self.piles.tally, self.quota, self.names
        largest = max(tally[c] for c in self.pending)
        tied = [c for c in self.pending if tally[c] == largest]
        note = ""
        if len(tied) > 1:
            x, how = break_tie(
                tied, self.history, self.lots, lowest=False, names=names, what="surplus order"
            )
            self._tie(tied, "surplus order", how, x)
            note = f"Equal surpluses: rule 49 takes {names[x]} first ({how}). "
        else:
            x = tied[0]
        self.pending.remove(x)
        total = tally[x]
        surplus = total - quota
        rows = self.piles.take(x)
        # Rule 48(3): (surplus × value of the paper) ÷ total votes, 5 decimals, truncated.
        values = surplus * self.piles.value[rows] // total
        moving = values > 0  # a paper worth nothing passes nothing: it stays put
        rows, values = rows[moving], values[moving]
        moved = self.piles.place(rows, self.piles.advance(rows, self.continuing), values)
        loss = surplus - sum(moved.to.values()) - moved.exhausted
        self.exhausted += moved.exhausted
        self.lost += loss
        tally[x] = quota
        value_one = units(surplus * SCALE // total, SCALE)
        self.end_stage(
            f"surplus of {names[x]} (transfer value {value_one})",
            self._transfers(moved),
            (),
            note + f"Rules 48-49: {names[x]} has the largest surplus, {units(surplus, SCALE)} "
            f"of {units(total, SCALE)} votes; every paper they hold passes to its next "
            f"available preference at surplus × its value ÷ {units(total, SCALE)}, truncated "
            f"to 5 decimals ({value_one} for a paper of value 1); papers with no next "
            f"available preference are non-transferable ({units(moved.exhausted, SCALE)}); "
            f"{names[x]} keeps the quota; {units(loss, SCALE)} lost to truncation.",
        )

    def exclude_lowest(self) -> None:
        """Rules 50-51: exclude the continuing candidate with the lowest vote."""
        tally, names = self.piles.tally, self.names
        live = self.live()
        low = min(tally[c] for c in live)
        tied = [c for c in live if tally[c] == low]
        note = ""
        if len(tied) > 1:
            x, how = break_tie(
                tied, self.history, self.lots, lowest=True, names=names, what="the exclusion"
            )
            self._tie(tied, "exclusion", how, x)
            note = f"Equal lowest: rule 51 excludes {names[x]} ({how}). "
        else:
            x = tied[0]
        self.continuing[x] = False
        self.excluded.add(x)
        rows = self.piles.take(x)
        moved = self.piles.place(rows, self.piles.advance(rows, self.continuing))
        self.exhausted += moved.exhausted
        self.end_stage(
            f"exclusion of {names[x]}",
            self._transfers(moved),
            (names[x],),
            note + f"Rule 50: no surplus to transfer; {names[x]} has the lowest vote "
            f"({units(low, SCALE)}) and is excluded; each of their papers passes at its "
            f"current value to its next available preference; papers with none are "
            f"non-transferable ({units(moved.exhausted, SCALE)}).",
        )

    def end_stage(
        self, action: str, transfers: dict[str, int], excluded: tuple[str, ...], note: str
    ) -> None:
        """Record the stage; elect who reached the quota (rule 47) and, when the
        continuing candidates are as many as the vacancies, all of them (rule 52)."""
        tally, names = self.piles.tally, self.names
        self.history.append({c: tally[c] for c in self.eligible})
        reached = [c for c in self.live() if tally[c] >= self.quota]
        newly = order_by_history(reached, tally, self.history)
        for c in newly:
            self.continuing[c] = False
            self.elected.append(c)
            if tally[c] > self.quota:
                self.pending.append(c)
        if newly:
            note += (
                f" Rule 47: {', '.join(names[c] for c in newly)} reached the quota "
                f"(deemed elected)."
            )
        vacancies = self.seats - len(self.elected)
        live = self.live()
        if vacancies > 0 and len(live) <= vacancies:
            last = order_by_history(live, tally, self.history)
            for c in last:
                self.continuing[c] = False
                self.elected.append(c)
            newly = newly + last
            note += (
                f" Rule 52: the continuing candidates are as many as the vacancies: "
                f"{', '.join(names[c] for c in last)} deemed elected."
            )
        self.rounds.append(
            Round(
                number=len(self.rounds) + 1,
                action=action,
                tallies={names[c]: tally[c] for c in self.eligible if c not in self.excluded},
                transfers=transfers,
                exhausted=self.exhausted,
                lost=self.lost,
                elected=tuple(names[c] for c in newly),
                excluded=excluded,
                quota=self.quota,
                note=note.strip(),
            )
        )

    def _transfers(self, moved: Moved) -> dict[str, int]:
        transfers = {self.names[c]: v for c, v in sorted(moved.to.items())}
        transfers["non-transferable"] = moved.exhausted
        return transfers

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
