"""Ballot files: BLT, PrefLib (soc, soi, toc, toi) and CSV cast vote records."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smolny.voting.formats import (
    BallotFileError,
    UnwritableProfileError,
    blt,
    detect_format,
    fitting_kind,
    parse_blt,
    parse_cvr_csv,
    parse_preflib,
    parse_profile,
    preflib,
    read_profile,
    write_blt,
    write_cvr_csv,
    write_preflib,
    write_profile,
)
from smolny.voting.profile import RankedProfile
from tests.conftest import ELECTIONS, IN_CI

# Under CI the data must be there: a missing directory fails the tests, it does not skip.
needs_elections = pytest.mark.skipif(
    not ELECTIONS.is_dir() and not IN_CI, reason=f"the public election data is not at {ELECTIONS}"
)
SCOTLAND = sorted((ELECTIONS / "scotland-2022").glob("*.blt"))
PREFLIB_FILES = sorted(
    p for p in ELECTIONS.glob("*/*") if p.suffix in (".soc", ".soi", ".toc", ".toi")
)
BURLINGTON = ELECTIONS / "burlington-2009" / "00005-00000002.toi"
IRELAND = ELECTIONS / "ireland-2002"

Ballots = Counter[tuple[frozenset[int], ...]]


def ballots_of(profile: RankedProfile) -> Ballots:
    """The ballots as a multiset, a rank being the set of candidates tied at it."""
    tally: Ballots = Counter()
    for count, ranks in profile.rankings():
        tally[tuple(frozenset(rank) for rank in ranks)] += count
    return tally


def same(a: RankedProfile, b: RankedProfile) -> None:
    assert a.candidates == b.candidates
    assert ballots_of(a) == ballots_of(b)
    assert a.total == b.total


def fails(
    parse: Callable[[str, str], RankedProfile],
    text: str,
    source: str,
    line: int | None,
    expected: str,
) -> BallotFileError:
    """Parsing fails at `line` of `source`, expecting what `expected` says."""
    with pytest.raises(BallotFileError) as info:
        parse(text, source)
    error = info.value
    assert error.source == source
    assert error.line == line, str(error)
    assert expected in error.expected, str(error)
    where = source if line is None else f"{source}, line {line}"
    assert str(error).startswith(f"{where}: expected {error.expected}")
    return error


# -- the real elections ----------------------------------------------------------------------
def _blt_by_hand(path: Path) -> tuple[int, int, Counter[tuple[int, ...]]]:
    """Candidates, seats and ballots of a plain BLT file, read the simplest way."""
    lines = path.read_text(encoding="utf-8").split("\n")
    candidates, seats = map(int, lines[0].split())
    ballots: Counter[tuple[int, ...]] = Counter()
    i = 1
    while lines[i].strip() != "0":
        numbers = [int(t) for t in lines[i].split()]
        assert numbers[-1] == 0
        ballots[tuple(c - 1 for c in numbers[1:-1])] += numbers[0]
        i += 1
    return candidates, seats, ballots


def _preflib_header(path: Path) -> dict[str, str]:
    header = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# ") and ":" in line:
            key, value = line[2:].split(":", 1)
            header[key.strip()] = value.strip()
    return header


@needs_elections
def test_there_are_347_scottish_wards_and_4_preflib_files() -> None:
    assert len(SCOTLAND) == 347
    assert len(PREFLIB_FILES) == 4


@needs_elections
@pytest.mark.parametrize("path", SCOTLAND, ids=lambda p: p.stem)
def test_every_scottish_ward_reads_with_its_seats_candidates_and_ballots(path: Path) -> None:
    profile = read_profile(path)
    candidates, seats, ballots = _blt_by_hand(path)
    assert profile.seats == seats
    assert len(profile.candidates) == candidates
    assert profile.total == sum(ballots.values())
    assert ballots_of(profile) == Counter(
        {tuple(frozenset([c]) for c in b): n for b, n in ballots.items()}
    )
    assert len(profile.counts) == len(ballots)  # grouped
    assert profile.title
    assert all(name.strip() for name in profile.candidates)


@needs_elections
@pytest.mark.parametrize("path", PREFLIB_FILES, ids=lambda p: p.name)
def test_every_preflib_file_reads_with_its_header_counts(path: Path) -> None:
    profile = read_profile(path)
    header = _preflib_header(path)
    n = int(header["NUMBER ALTERNATIVES"])
    assert profile.candidates == tuple(header[f"ALTERNATIVE NAME {i}"] for i in range(1, n + 1))
    assert profile.total == int(header["NUMBER VOTERS"])
    assert len(profile.counts) == int(header["NUMBER UNIQUE ORDERS"])
    assert profile.title == header["TITLE"]
    assert profile.seats is None


@needs_elections
def test_burlington_names_voters_and_ties() -> None:
    profile = read_profile(BURLINGTON)
    assert profile.candidates == (
        "Bob Kiss",
        "Andy Montroll",
        "James Simpson",
        "Dan Smith",
        "Kurt Wright",
        "Write-In",
    )
    assert profile.total == 8980
    assert profile.tied is not None  # a toi file: some voters tied candidates
    assert fitting_kind(profile) == "toi"
    # The declared first round: Wright 2,951, Kiss 2,585, Montroll 2,063, Smith 1,306.
    assert profile.first_preferences().tolist()[:5] == [2585, 2063, 35, 1306, 2951]


@needs_elections
@pytest.mark.parametrize(
    ("name", "voters", "candidate"),
    [
        ("00001-00000001.soi", 43942, "Trevor Sargent G.P."),
        ("00001-00000002.soi", 29988, "Joe Higgins S.P."),
        ("00001-00000003.soi", 64081, "Noel Dempsey F.F."),
    ],
)
def test_the_irish_files_hold_their_number_of_voters(
    name: str, voters: int, candidate: str
) -> None:
    profile = read_profile(IRELAND / name)
    assert profile.total == voters
    assert candidate in profile.candidates
    assert profile.tied is None
    assert fitting_kind(profile) == "soi"


@needs_elections
def test_a_scottish_name_with_its_party_in_doubled_quotes() -> None:
    profile = read_profile(ELECTIONS / "scotland-2022" / "aberdeen_2022_ward6.blt")
    assert profile.candidates[0] == 'Vish ARCHER "Scottish Conservative and Unionist (Con)"'
    assert profile.candidates[5] == 'Alexander MCLELLAN "Scottish National Party (SNP)"'
    assert profile.title == "Tillydrone-Seaton-Old Aberdeen Ward"
    assert profile.seats == 3


@needs_elections
def test_a_scottish_name_and_party_as_two_quoted_strings_reads_the_same_way() -> None:
    # "Sasha BRYDON" "Scottish Labour Party": the first string, then the others in quotes.
    profile = read_profile(ELECTIONS / "scotland-2022" / "aberdeenshire_2022_ward10.blt")
    assert 'Sasha BRYDON "Scottish Labour Party"' in profile.candidates
    assert profile.title == "Ward 10 - West Garioch"


@needs_elections
def test_real_files_are_told_apart_by_their_content(tmp_path: Path) -> None:
    for path in (SCOTLAND[0], BURLINGTON, IRELAND / "00001-00000002.soi"):
        copy = tmp_path / "ballots.dat"  # a copy outside the repository, without extension
        copy.write_bytes(path.read_bytes())
        same(read_profile(copy), read_profile(path))


@needs_elections
def test_the_fast_and_the_line_by_line_readers_agree_on_real_files() -> None:
    paths = [*SCOTLAND[::25], *PREFLIB_FILES]
    fast = [read_profile(p) for p in paths]
    with (
        mock.patch.object(blt, "_fast_ballots", return_value=None),
        mock.patch.object(preflib, "_fast_orders", return_value=None),
    ):
        slow = [read_profile(p) for p in paths]
    for a, b in zip(fast, slow, strict=True):
        assert a.candidates == b.candidates
        assert np.array_equal(a.ballots, b.ballots)
        assert np.array_equal(a.counts, b.counts)
        assert (a.tied is None) == (b.tied is None)
        if a.tied is not None and b.tied is not None:
            assert np.array_equal(a.tied, b.tied)


# -- round trips -----------------------------------------------------------------------------
NAME = st.text(
    alphabet=st.one_of(
        st.characters(blacklist_categories=("Cc", "Cs")),
        st.sampled_from('",#=:{}- 0123'),
    ),
    min_size=1,
    max_size=12,
).map(str.strip)


@st.composite
def profiles(draw: st.DrawFn, *, ties: bool, complete: bool, extras: bool = False) -> RankedProfile:
    """Random profiles: `ties` lets ballots tie candidates, `complete` makes every ballot
    rank every candidate (else ballots may stop early, even rank no one)."""
    names = draw(st.lists(NAME.filter(bool), min_size=1, max_size=6, unique=True))
    n = len(names)
    rankings = []
    for _ in range(draw(st.integers(0, 12))):
        order = draw(st.permutations(range(n)))
        length = n if complete else draw(st.integers(0, n))
        chosen = order[:length]
        ranking: list[int | tuple[int, ...]] = []
        i = 0
        while i < len(chosen):
            size = draw(st.integers(1, len(chosen) - i)) if ties else 1
            group = tuple(chosen[i : i + size])
            ranking.append(group[0] if size == 1 else group)
            i += size
        rankings.append(ranking)
    counts = draw(st.lists(st.integers(1, 500), min_size=len(rankings), max_size=len(rankings)))
    kwargs: dict[str, object] = {}
    if extras:
        kwargs["title"] = draw(NAME)
        kwargs["seats"] = draw(st.integers(1, n))
        kwargs["withdrawn"] = frozenset(draw(st.sets(st.integers(0, n - 1), max_size=n)))
    return RankedProfile.from_rankings(names, rankings, counts, **kwargs)


@settings(deadline=None)
@given(profiles(ties=True, complete=False, extras=True))
def test_blt_round_trip_keeps_ballots_ties_seats_title_and_withdrawn(p: RankedProfile) -> None:
    back = parse_blt(write_blt(p), "x.blt")
    same(back, p)
    assert (back.seats, back.title, back.withdrawn) == (p.seats, p.title, p.withdrawn)


@settings(deadline=None)
@given(profiles(ties=False, complete=False, extras=True))
def test_blt_round_trip_without_ties_takes_the_fast_path(p: RankedProfile) -> None:
    text = write_blt(p)
    back = parse_blt(text, "x.blt")
    same(back, p)
    assert (back.seats, back.title, back.withdrawn) == (p.seats, p.title, p.withdrawn)
    with mock.patch.object(blt, "_fast_ballots", return_value=None):
        slow = parse_blt(text, "x.blt")
    assert np.array_equal(slow.ballots, back.ballots)
    assert np.array_equal(slow.counts, back.counts)


@pytest.mark.parametrize(
    ("kind", "ties", "complete"),
    [("soc", False, True), ("soi", False, False), ("toc", True, True), ("toi", True, False)],
)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_preflib_round_trip_for_each_type(
    kind: str, ties: bool, complete: bool, data: st.DataObject
) -> None:
    p = data.draw(profiles(ties=ties, complete=complete))
    text = write_preflib(p, kind)
    assert f"# DATA TYPE: {kind}\n" in text
    same(parse_preflib(text, f"x.{kind}", kind), p)
    same(parse_profile(text, f"x.{kind}"), p)
    back = parse_preflib(write_preflib(p), "x")  # the narrowest type that holds it
    same(back, p)


@settings(deadline=None)
@given(profiles(ties=True, complete=False))
def test_preflib_writes_the_narrowest_type(p: RankedProfile) -> None:
    kind = fitting_kind(p)
    assert f"# DATA TYPE: {kind}\n" in write_preflib(p)
    has_ties = any(len(rank) > 1 for _, ranks in p.rankings() for rank in ranks)
    complete = all(sum(map(len, ranks)) == len(p.candidates) for _, ranks in p.rankings())
    assert kind == {(False, True): "soc", (False, False): "soi"}.get(
        (has_ties, complete), "toc" if complete else "toi"
    )


@settings(deadline=None)
@given(profiles(ties=False, complete=False, extras=True))
def test_csv_round_trip_keeps_ballots_candidates_title_seats_and_withdrawn(
    p: RankedProfile,
) -> None:
    back = parse_cvr_csv(write_cvr_csv(p), "x.csv")
    same(back, p)
    assert (back.seats, back.title, back.withdrawn) == (p.seats, p.title, p.withdrawn)


@settings(deadline=None)
@given(profiles(ties=False, complete=True))
def test_csv_round_trip_of_complete_ballots(p: RankedProfile) -> None:
    same(parse_cvr_csv(write_cvr_csv(p), "x.csv"), p)


@settings(deadline=None)
@given(profiles(ties=True, complete=False, extras=True))
def test_the_format_is_told_from_the_content(p: RankedProfile) -> None:
    for text in (write_blt(p), write_preflib(p)):
        same(parse_profile(text, "ballots.txt"), p)
    if p.tied is None:
        same(parse_profile(write_cvr_csv(p), "ballots"), p)


def test_files_round_trip_through_write_profile_and_read_profile(tmp_path: Path) -> None:
    p = RankedProfile.from_rankings(
        ("Ann", "Bob", "Cy"), [[0, 1], [2, 0, 1], [1]], [3, 2, 1], title="Ward", seats=2
    )
    for name in ("a.blt", "a.soi", "a.toi", "a.csv"):
        write_profile(p, tmp_path / name)
        same(read_profile(tmp_path / name), p)
    write_profile(p, tmp_path / "b.dat", format="blt")
    assert read_profile(tmp_path / "b.dat").seats == 2  # told from the content
    assert read_profile(tmp_path / "b.dat", format="blt").title == "Ward"


def test_reading_groups_identical_ballots_in_order_of_first_appearance() -> None:
    text = '3 1\n1 1 2 0\n2 3 0\n4 1 2 0\n1 3 0\n1 0\n0\n"A"\n"B"\n"C"\n"T"\n'
    p = parse_blt(text, "g.blt")
    assert p.ballots.tolist() == [[0, 1], [2, -1], [-1, -1]]
    assert p.counts.tolist() == [5, 3, 1]


# -- the fast readers accept exactly what the line-by-line ones do ----------------------------
BLT_NAMES = '0\n"A"\n"B"\n"C"\n"T"\n'


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="0123 \t=", max_size=12), max_size=6))
def test_the_fast_blt_reader_agrees_with_the_slow_one(lines: list[str]) -> None:
    text = "3 1\n" + "".join(line + "\n" for line in lines) + BLT_NAMES
    _agree(lambda: parse_blt(text, "f.blt"), blt, "_fast_ballots")


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["soc", "soi", "toc", "toi"]),
    st.lists(st.text(alphabet="0123:,{} ", max_size=12), max_size=5),
)
def test_the_fast_preflib_reader_agrees_with_the_slow_one(kind: str, lines: list[str]) -> None:
    header = "".join(f"# ALTERNATIVE NAME {i}: {c}\n" for i, c in enumerate("ABC", start=1))
    text = f"# DATA TYPE: {kind}\n" + header + "".join(line + "\n" for line in lines)
    _agree(lambda: parse_preflib(text, f"f.{kind}"), preflib, "_fast_orders")


def _agree(parse: Callable[[], RankedProfile], module: object, fast: str) -> None:
    def outcome() -> tuple[str, ...]:
        try:
            p = parse()
        except BallotFileError as error:
            return ("error", str(error))
        tied = "" if p.tied is None else str(p.tied.tolist())
        return ("ok", str(p.ballots.tolist()), str(p.counts.tolist()), tied)

    quick = outcome()
    with mock.patch.object(module, fast, return_value=None):
        assert outcome() == quick


# -- BLT details -----------------------------------------------------------------------------
def test_blt_reads_ties_ids_comments_and_withdrawn_candidates() -> None:
    text = (
        "# made by hand\n"
        "4 2\n"
        "-2 -4\n"
        "(b1) 2 1 2=3 4 0\n"
        "(b2) 1 3 = 1 0   # a tie written with spaces\n"
        "\n"
        "3 4 0\n"
        "0\n"
        '"Ann"\n"Bob"\n"Cy"\n"Di"\n'
        "An election\n"
    )
    p = parse_blt(text, "h.blt")
    assert p.seats == 2
    assert p.withdrawn == frozenset({1, 3})
    assert p.title == "An election"
    assert list(p.rankings()) == [
        (2, ((0,), (1, 2), (3,))),
        (1, ((2, 0),)),
        (3, ((3,),)),
    ]


def test_blt_with_windows_line_ends_and_a_byte_order_mark() -> None:
    text = '\ufeff2 1\r\n1 1 2 0\r\n2 2 0\r\n0\r\n"A"\r\n"B"\r\n"T"\r\n'
    p = parse_blt(text, "w.blt")
    assert p.candidates == ("A", "B")
    assert p.title == "T"
    assert list(p.rankings()) == [(1, ((0,), (1,))), (2, ((1,),))]


def test_blt_from_an_iterable_of_lines() -> None:
    lines = ["2 1\n", "1 1 2 0\n", "0\n", '"A"\n', '"B"\n', '"T"\n']
    assert parse_blt(lines, "i.blt").candidates == ("A", "B")


# -- malformed BLT files ---------------------------------------------------------------------
def _blt(ballots: str, names: str = '"A"\n"B"\n"C"\n"Title"\n', header: str = "3 1\n") -> str:
    return header + ballots + "0\n" + names


def test_blt_message_names_file_line_and_expectation() -> None:
    text = _blt("1 1 2 0\n1 3 x 0\n")
    error = fails(parse_blt, text, "aberdeen_ward1.blt", 3, 'a ballot "weight c1 c2 ... 0"')
    assert str(error) == (
        'aberdeen_ward1.blt, line 3: expected a ballot "weight c1 c2 ... 0", found "1 3 x 0"'
    )


def test_blt_bad_header() -> None:
    fails(parse_blt, _blt("1 1 0\n", header="3 x\n"), "h.blt", 1, '"candidates seats"')
    fails(parse_blt, _blt("1 1 0\n", header="# c\n3\n"), "h.blt", 2, '"candidates seats"')
    fails(parse_blt, _blt("1 1 0\n", header="3 0\n"), "h.blt", 1, "at least 1 seat")
    fails(parse_blt, _blt("1 1 0\n", header="0 1\n"), "h.blt", 1, "between 1 and")


def test_blt_candidate_out_of_range() -> None:
    error = fails(parse_blt, _blt("1 1 2 0\n2 1 4 0\n"), "r.blt", 3, "candidate numbers 1 to 3")
    assert error.found == '"4"'


def test_blt_candidate_repeated() -> None:
    error = fails(parse_blt, _blt("1 1 2 0\n1 2 1 2 0\n"), "d.blt", 3, "at most once")
    assert error.found is not None
    assert "candidate 2 twice" in error.found


def test_blt_candidate_repeated_deep_in_a_plain_file() -> None:
    ballots = "1 1 2 0\n" * 50 + "1 3 1 3 0\n" + "2 2 0\n" * 50
    fails(parse_blt, _blt(ballots), "deep.blt", 52, "each candidate at most once")


def test_blt_missing_terminating_zero() -> None:
    fails(parse_blt, _blt("1 1 2 0\n1 2 3\n"), "z.blt", 3, 'the ballot to end with "0"')


def test_blt_something_after_the_terminating_zero() -> None:
    fails(parse_blt, _blt("1 1 0 2 0\n"), "z.blt", 2, 'nothing after the "0"')


def test_blt_missing_zero_line() -> None:
    text = '3 1\n1 1 2 0\n1 2 0\n"A"\n"B"\n"C"\n"T"\n'
    fails(parse_blt, text, "m.blt", 4, 'a line "0" ending the ballots')
    fails(parse_blt, "3 1\n1 1 2 0\n", "m.blt", None, 'a line "0" ending the ballots')


def test_blt_too_few_names() -> None:
    error = fails(parse_blt, _blt("1 1 0\n", names='"A"\n"B"\n"T"\n'), "n.blt", 3, "3 candidate")
    assert error.found == "3 lines"


def test_blt_too_many_names() -> None:
    text = _blt("1 1 0\n", names='"A"\n"B"\n"C"\n"D"\n"T"\n')
    error = fails(parse_blt, text, "n.blt", 8, "and nothing after them")
    assert error.found == "'\"T\"'"


def test_blt_badly_quoted_and_repeated_names() -> None:
    fails(parse_blt, _blt("1 1 0\n", names='"A"\n"B\n"C"\n"T"\n'), "q.blt", 5, "double quotes")
    fails(parse_blt, _blt("1 1 0\n", names='"A"\n"B"\n"A"\n"T"\n'), "q.blt", 6, "a different")


def test_blt_non_integer_weight() -> None:
    error = fails(parse_blt, _blt("1 1 0\n1.5 1 2 0\n"), "w.blt", 3, "whole-number weight")
    assert error.found == '"1.5"'


@pytest.mark.parametrize("weight", ["0", "-2"])
def test_blt_zero_or_negative_weight(weight: str) -> None:
    error = fails(parse_blt, _blt(f"1 1 0\n{weight} 1 2 0\n"), "w.blt", 3, "a weight between 1")
    assert error.found == f'"{weight}"'


def test_blt_withdrawn_candidate_out_of_range() -> None:
    fails(parse_blt, _blt("-4\n1 1 0\n"), "x.blt", 2, 'withdrawn candidates "-1" to "-3"')


@pytest.mark.parametrize("text", ["", "\n  \n"])
def test_blt_empty_file(text: str) -> None:
    error = fails(parse_blt, text, "e.blt", None, '"candidates seats"')
    assert error.found == "an empty file"


# -- malformed PrefLib files -----------------------------------------------------------------
def _preflib(kind: str, orders: str, voters: int | None = None, unique: int | None = None) -> str:
    lines = [
        "# TITLE: Test",
        f"# DATA TYPE: {kind}",
        "# NUMBER ALTERNATIVES: 3",
        "# ALTERNATIVE NAME 1: A",
        "# ALTERNATIVE NAME 2: B",
        "# ALTERNATIVE NAME 3: C",
    ]
    if voters is not None:
        lines.append(f"# NUMBER VOTERS: {voters}")
    if unique is not None:
        lines.append(f"# NUMBER UNIQUE ORDERS: {unique}")
    return "\n".join(lines) + "\n" + orders


def test_preflib_reads_ties_and_incomplete_orders() -> None:
    p = parse_preflib(_preflib("toi", "3: 1,{2,3}\n2: {1,2}\n1: 3\n", 6, 3), "t.toi")
    assert list(p.rankings()) == [(3, ((0,), (1, 2))), (2, ((0, 1),)), (1, ((2,),))]
    assert p.title == "Test"


@pytest.mark.parametrize("kind", ["soc", "soi"])
def test_preflib_tie_in_a_strict_file(kind: str) -> None:
    text = _preflib(kind, "3: 1,2,3\n2: 1,{2,3}\n")
    fails(parse_preflib, text, f"t.{kind}", 8, f"a strict order (no ties in a {kind} file)")


@pytest.mark.parametrize("kind", ["soc", "toc"])
def test_preflib_incomplete_order_in_a_complete_file(kind: str) -> None:
    text = _preflib(kind, "3: 1,2,3\n2: 2,1\n")
    error = fails(parse_preflib, text, f"c.{kind}", 8, "all 3 alternatives ranked")
    assert f"a complete order in a {kind} file" in error.expected


def test_preflib_number_voters_mismatch() -> None:
    text = _preflib("soi", "3: 1,2\n2: 3\n", voters=6, unique=2)
    error = fails(parse_preflib, text, "v.soi", 7, "NUMBER VOTERS to be the sum of the counts, 5")
    assert error.found == "NUMBER VOTERS: 6"


def test_preflib_unique_orders_mismatch() -> None:
    text = _preflib("soi", "3: 1,2\n2: 3\n", voters=5, unique=3)
    fails(
        parse_preflib, text, "u.soi", 8, "NUMBER UNIQUE ORDERS to be the number of order lines, 2"
    )


def test_preflib_alternative_out_of_range_and_repeated() -> None:
    error = fails(parse_preflib, _preflib("soi", "3: 1,4\n"), "r.soi", 7, "numbered 1 to 3")
    assert error.found == '"4"'
    fails(parse_preflib, _preflib("soi", "3: 1,2,1\n"), "r.soi", 7, "at most once")


@pytest.mark.parametrize("line", ["3: 1,,2", "3 1,2", "3: 1 2", "3: {1,2", "3: 1,{2},", "3: {}"])
def test_preflib_malformed_order(line: str) -> None:
    fails(parse_preflib, _preflib("toi", line + "\n"), "o.toi", 7, 'an order "count: a,b,{c,d}"')


@pytest.mark.parametrize("count", ["0", "x", "1.5"])
def test_preflib_bad_count(count: str) -> None:
    fails(parse_preflib, _preflib("soi", f"{count}: 1,2\n"), "b.soi", 7, "count")


def test_preflib_data_type_must_agree_with_the_extension() -> None:
    text = _preflib("toi", "1: 1\n")
    error = fails(
        lambda t, s: parse_profile(t, s), text, "x.soi", 2, "DATA TYPE soi (as the file name says)"
    )
    assert error.found == "DATA TYPE toi"


def test_preflib_unranked_data_type() -> None:
    fails(parse_preflib, _preflib("wmd", "1: 1\n"), "w.wmd", 2, "DATA TYPE soc, soi, toc or toi")


def test_preflib_missing_names() -> None:
    text = "# DATA TYPE: soi\n# NUMBER ALTERNATIVES: 3\n# ALTERNATIVE NAME 1: A\n1: 1\n"
    error = fails(parse_preflib, text, "m.soi", None, "ALTERNATIVE NAME i: name")
    assert error.found == "none for 2, 3"
    text = "# DATA TYPE: soi\n# NUMBER ALTERNATIVES: 1\n# ALTERNATIVE NAME 2: A\n1: 1\n"
    fails(parse_preflib, text, "m.soi", 3, "ALTERNATIVE NAME 1 to 1")


def test_preflib_empty_file() -> None:
    error = fails(parse_preflib, "", "e.soi", None, "PrefLib")
    assert error.found == "an empty file"


def test_preflib_older_layout() -> None:
    text = "3\n1,A\n2,B\n3,C\n6,6,3\n3,1,2,3\n2,{1,2},3\n1,3\n"
    p = parse_preflib(text, "old.toi")
    assert p.candidates == ("A", "B", "C")
    assert list(p.rankings()) == [(3, ((0,), (1,), (2,))), (2, ((0, 1), (2,))), (1, ((2,),))]
    assert detect_format(text) == "preflib"
    fails(parse_preflib, text, "old.soi", 7, "a strict order (no ties in a soi file)")
    fails(parse_preflib, text, "old.toc", 8, "all 3 alternatives ranked")
    fails(parse_preflib, text.replace("6,6,3", "6,7,3"), "old.toi", 5, "sum of the counts, 6")
    fails(parse_preflib, text.replace("6,6,3", "6,6,4"), "old.toi", 5, "UNIQUE ORDERS")


# -- malformed CSV files ---------------------------------------------------------------------
def test_csv_dialect() -> None:
    text = (
        "# a comment\n"
        "ballot_id,precinct,Choice_1,choice_2,choice 3\n"
        "1,P1,Ann,Bob,\n"
        "2,P1,Bob, ,\n"
        "3,P2,Ann,Bob\n"
        ",,,,\n"
        '4,P2,"Smith, Jr.",Ann,Bob\n'
    )
    p = parse_cvr_csv(text, "c.csv")
    assert p.candidates == ("Ann", "Bob", "Smith, Jr.")
    assert list(p.rankings()) == [
        (2, ((0,), (1,))),
        (1, ((1,),)),
        (1, ((2,), (0,), (1,))),
    ]


def test_csv_count_column_and_candidate_list() -> None:
    text = "# candidates: Cy,Bob,Ann\n# title: T\nweight,rank1,rank2\n3,Ann,Bob\n2,Cy,\n"
    p = parse_cvr_csv(text, "c.csv")
    assert p.candidates == ("Cy", "Bob", "Ann")
    assert p.title == "T"
    assert list(p.rankings()) == [(3, ((2,), (1,))), (2, ((0,),))]


def test_csv_gap() -> None:
    error = fails(parse_cvr_csv, "id,rank1,rank2,rank3\n1,A,B,\n2,A,,B\n", "g.csv", 3, "blank")
    assert error.found == 'rank2 blank before "B"'


def test_csv_repeated_candidate() -> None:
    text = "id,rank1,rank2\n1,A,B\n2,A,A\n"
    error = fails(parse_cvr_csv, text, "r.csv", 3, "each candidate at most once")
    assert error.found == '"A" twice'


def test_csv_unknown_candidate() -> None:
    text = "# candidates: A,B\nrank1,rank2\nA,B\nB,C\n"
    fails(parse_cvr_csv, text, "u.csv", 4, "a candidate of the # candidates line (line 1)")


def test_csv_bad_count_too_many_cells_and_no_rank_columns() -> None:
    fails(parse_cvr_csv, "count,rank1\n2,A\n0,B\n", "c.csv", 3, "whole-number count")
    fails(parse_cvr_csv, "count,rank1\n2,A\nx,B\n", "c.csv", 3, "whole-number count")
    fails(parse_cvr_csv, "rank1,rank2\nA,B,C\n", "c.csv", 2, "at most 2 cells")
    fails(parse_cvr_csv, "# x\nid,name\n1,A\n", "c.csv", 2, "a header row naming the rank")


def test_csv_empty_file() -> None:
    assert fails(parse_cvr_csv, "", "e.csv", None, "header").found == "an empty file"


def test_csv_first_error_in_the_file_is_reported() -> None:
    text = "rank1,rank2\nA,B\nB,B\nA,B\nC,C\nB,B\n"
    fails(parse_cvr_csv, text, "f.csv", 3, "each candidate at most once")


# -- files -----------------------------------------------------------------------------------
def test_unreadable_encoding(tmp_path: Path) -> None:
    path = tmp_path / "latin.blt"
    path.write_bytes('2 1\n1 1 0\n0\n"Ann"\n"Bj\xf6rn"\n"T"\n'.encode("latin-1"))
    with pytest.raises(BallotFileError) as info:
        read_profile(path)
    assert (info.value.source, info.value.line, info.value.expected) == (
        "latin.blt",
        5,
        "UTF-8 text",
    )
    assert str(info.value) == "latin.blt, line 5: expected UTF-8 text, found the byte 0xf6"


def test_unknown_format(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Dear council,\nplease count these.\n")
    with pytest.raises(BallotFileError) as info:
        read_profile(path)
    assert info.value.line is None
    assert info.value.expected == "a BLT, PrefLib (soc, soi, toc, toi) or CSV ballot file"
    assert str(info.value).startswith("notes.txt: expected a BLT")


def test_empty_file_of_unknown_format(tmp_path: Path) -> None:
    path = tmp_path / "empty"
    path.write_text("")
    with pytest.raises(BallotFileError, match=r"^empty: expected .*found an empty file$"):
        read_profile(path)


def test_progress_is_reported_up_to_the_whole_file(tmp_path: Path) -> None:
    path = tmp_path / "big.blt"
    path.write_text("3 1\n" + "1 1 2 3 0\n2 3 0\n" * 200_000 + '0\n"A"\n"B"\n"C"\n"T"\n')
    seen: list[tuple[int, int]] = []
    p = read_profile(path, progress=lambda done, total: seen.append((done, total)))
    size = path.stat().st_size
    assert p.total == 600_000
    assert len(seen) > 2
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert seen[-1] == (size, size)
    assert all(total == size for _, total in seen)


def test_writers_refuse_what_the_format_cannot_hold(tmp_path: Path) -> None:
    tied = RankedProfile.from_rankings(("A", "B"), [[(0, 1)]])
    partial = RankedProfile.from_rankings(("A", "B"), [[0]])
    with pytest.raises(UnwritableProfileError, match="no ties"):
        write_preflib(tied, "soc")
    with pytest.raises(UnwritableProfileError, match="complete orders"):
        write_preflib(partial, "toc")
    with pytest.raises(UnwritableProfileError, match="no ties"):
        write_cvr_csv(tied)
    with pytest.raises(UnwritableProfileError, match="line break"):
        write_blt(RankedProfile.from_rankings(("A\nB", "C"), [[0]]))
    with pytest.raises(UnwritableProfileError, match="cannot tell a ballot format"):
        write_profile(partial, tmp_path / "x.dat")
    with pytest.raises(UnwritableProfileError, match="no ties"):
        write_profile(tied, tmp_path / "x.soi")


def test_error_text_quotes_long_lines_briefly() -> None:
    text = _blt("1 1 " + "x " * 100 + "0\n")
    error = fails(parse_blt, text, "l.blt", 2, "a ballot")
    assert error.found is not None
    assert len(error.found) <= 82
    assert re.fullmatch(r'"1 1 x .*\.\.\."', error.found)
