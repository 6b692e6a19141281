"""The hemicycle diagram: one circle per seat, wedges in order, no overlaps, escaped labels."""

from __future__ import annotations

import itertools
import math
import xml.etree.ElementTree as ET
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smolny.web.hemicycle import SeatGroup, hemicycle_svg

NS = {"svg": "http://www.w3.org/2000/svg"}
SVG = "{http://www.w3.org/2000/svg}"

PETROGRAD = [
    SeatGroup("bolsheviks", "Bolsheviks", 13, "#c1121f"),
    SeatGroup("srs", "Social Revolutionaries", 6, "#2a9d8f"),
    SeatGroup("mensheviks", "Mensheviks", 3, "#e9c46a"),
]
COMMONS = [
    SeatGroup("labour", "Labour", 390, "#e4003b"),
    SeatGroup("conservatives", "Conservatives", 159, "#0087dc"),
    SeatGroup("libdems", "Liberal Democrats", 72, "#faa61a"),
    SeatGroup("", "Without faction", 29, "#6b7280"),
]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def seats(root: ET.Element) -> list[ET.Element]:
    return [c for c in root.iter(f"{SVG}circle") if c.get("class") == "seat"]


def counts(root: ET.Element) -> Counter[str]:
    return Counter(c.get("data-faction", "<missing>") for c in seats(root))


def centres(root: ET.Element) -> list[tuple[float, float, float]]:
    return [
        (float(c.attrib["cx"]), float(c.attrib["cy"]), float(c.attrib["r"])) for c in seats(root)
    ]


def view_box(root: ET.Element) -> tuple[float, float, float, float]:
    x, y, w, h = (float(v) for v in root.attrib["viewBox"].split())
    return x, y, w, h


def uniform(n: int) -> list[SeatGroup]:
    return [SeatGroup("only", "Only", n, "#c1121f")]


def assert_no_overlap(root: ET.Element) -> None:
    """No two seat circles overlap: centre distance >= sum of radii (checked with a grid)."""
    circles = centres(root)
    if len(circles) < 2:
        return
    cell = 2 * max(r for _, _, r in circles)
    grid: dict[tuple[int, int], list[int]] = {}
    for i, (x, y, _) in enumerate(circles):
        grid.setdefault((math.floor(x / cell), math.floor(y / cell)), []).append(i)
    for i, (x, y, r) in enumerate(circles):
        gx, gy = math.floor(x / cell), math.floor(y / cell)
        for dx, dy in itertools.product((-1, 0, 1), repeat=2):
            for j in grid.get((gx + dx, gy + dy), []):
                if j <= i:
                    continue
                x2, y2, r2 = circles[j]
                distance = math.hypot(x - x2, y - y2)
                assert distance >= r + r2, f"seats {i} and {j} overlap"


def assert_inside_view_box(root: ET.Element) -> None:
    vx, vy, vw, vh = view_box(root)
    for x, y, r in centres(root):
        assert vx <= x - r
        assert x + r <= vx + vw
        assert vy <= y - r
        assert y + r <= vy + vh


# --- one circle per seat ---------------------------------------------------------------------


def test_counts_per_faction_for_a_small_council() -> None:
    root = parse(hemicycle_svg(PETROGRAD, 22, title="Executive committee"))
    assert counts(root) == {"bolsheviks": 13, "srs": 6, "mensheviks": 3}


def test_counts_per_faction_with_vacant_seats_and_faction_less_delegates() -> None:
    root = parse(hemicycle_svg(COMMONS, 660, title="Commons"))
    assert counts(root) == {
        "labour": 390,
        "conservatives": 159,
        "libdems": 72,
        "": 29,
        "vacant": 10,
    }


def test_a_single_seat_is_one_circle() -> None:
    root = parse(hemicycle_svg([SeatGroup("chair", "Chair", 1, "#000000")], 1, title="Chair"))
    assert counts(root) == {"chair": 1}
    assert_inside_view_box(root)


def test_three_thousand_seats() -> None:
    groups = [
        SeatGroup("bolsheviks", "Bolsheviks", 1400, "#c1121f"),
        SeatGroup("left-srs", "Left SRs", 600, "#f77f00"),
        SeatGroup("srs", "SRs", 500, "#2a9d8f"),
        SeatGroup("mensheviks", "Mensheviks", 420, "#e9c46a"),
    ]
    root = parse(hemicycle_svg(groups, 3000, title="Petrograd Soviet"))
    assert counts(root) == {
        "bolsheviks": 1400,
        "left-srs": 600,
        "srs": 500,
        "mensheviks": 420,
        "vacant": 80,
    }
    assert_no_overlap(root)
    assert_inside_view_box(root)


def test_only_seats_use_the_seat_class() -> None:
    root = parse(hemicycle_svg(COMMONS, 660, title="Commons"))
    with_class = [e for e in root.iter() if "seat" in (e.get("class") or "").split()]
    assert all(e.tag == f"{SVG}circle" for e in with_class)
    assert len(with_class) == 660


def test_every_seat_has_a_title_naming_its_group() -> None:
    root = parse(hemicycle_svg(PETROGRAD, 23, title="Executive committee", vacant_label="Empty"))
    labels = {g.key: g.label for g in PETROGRAD} | {"vacant": "Empty"}
    for circle in seats(root):
        tooltip = circle.find("svg:title", NS)
        assert tooltip is not None
        assert tooltip.text == labels[circle.attrib["data-faction"]]


def test_groups_with_zero_seats_draw_nothing() -> None:
    groups = [*PETROGRAD, SeatGroup("anarchists", "Anarchists", 0, "#000000")]
    root = parse(hemicycle_svg(groups, 22, title="Executive committee"))
    assert "anarchists" not in counts(root)
    assert sum(counts(root).values()) == 22


# --- vacant seats ------------------------------------------------------------------------------


def test_vacant_seats_are_hollow_and_at_the_right_end() -> None:
    root = parse(hemicycle_svg(PETROGRAD, 30, title="Executive committee"))
    assert counts(root)["vacant"] == 8
    vacant_group = next(
        g
        for g in root.iter(f"{SVG}g")
        if any(c.get("data-faction") == "vacant" for c in g.iter(f"{SVG}circle"))
    )
    assert vacant_group.get("fill") == "none"
    assert vacant_group.get("stroke")
    # The vacant seats are the last ones of the sweep: right of every filled seat on average,
    # and the right-most seat on the baseline is vacant.
    circles = seats(root)
    _, _, width, _ = view_box(root)
    vacant_x = [float(c.attrib["cx"]) for c in circles if c.attrib["data-faction"] == "vacant"]
    filled_x = [float(c.attrib["cx"]) for c in circles if c.attrib["data-faction"] != "vacant"]
    assert min(vacant_x) > width / 2
    assert sum(vacant_x) / len(vacant_x) > sum(filled_x) / len(filled_x)
    rightmost = max(circles, key=lambda c: float(c.attrib["cx"]))
    assert rightmost.attrib["data-faction"] == "vacant"


def test_more_delegates_than_seats_draws_every_delegate() -> None:
    root = parse(hemicycle_svg(PETROGRAD, 10, title="Executive committee"))
    assert counts(root) == {"bolsheviks": 13, "srs": 6, "mensheviks": 3}


def test_the_centre_shows_filled_seats_and_of_total_when_some_are_vacant() -> None:
    root = parse(hemicycle_svg(COMMONS, 660, title="Commons"))
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert texts == ["of 660 seats", "650"]


def test_the_centre_shows_no_of_total_when_the_council_is_full() -> None:
    root = parse(hemicycle_svg(PETROGRAD, 22, title="Executive committee"))
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert texts == ["22"]


# --- geometry ----------------------------------------------------------------------------------


@pytest.mark.parametrize("size", range(1, 401))
def test_no_overlap_and_inside_the_view_box_up_to_400_seats(size: int) -> None:
    root = parse(hemicycle_svg(uniform(size), size, title="Council"))
    assert len(seats(root)) == size
    assert_no_overlap(root)
    assert_inside_view_box(root)


@pytest.mark.parametrize("size", [500, 650, 999, 1000, 1500, 2250, 3000, 3500])
def test_no_overlap_and_inside_the_view_box_for_big_councils(size: int) -> None:
    root = parse(hemicycle_svg(uniform(size - 7), size, title="Council"))
    assert len(seats(root)) == size
    assert_no_overlap(root)
    assert_inside_view_box(root)


def test_factions_occupy_wedges_in_the_order_given() -> None:
    """Swept by angle from the left end, each group's seats come after the previous group's."""
    root = parse(hemicycle_svg(COMMONS, 660, title="Commons"))
    _, _, width, _ = view_box(root)
    centre_x = width / 2
    centre_y = max(float(c.attrib["cy"]) for c in seats(root))

    def angle(circle: ET.Element) -> float:
        dy = max(centre_y - float(circle.attrib["cy"]), 0.0)
        return math.atan2(dy, centre_x - float(circle.attrib["cx"]))

    keys = ["labour", "conservatives", "libdems", "", "vacant"]
    spans = {
        key: [angle(c) for c in seats(root) if c.attrib["data-faction"] == key] for key in keys
    }
    assert min(spans["labour"]) == pytest.approx(0, abs=1e-3)
    assert max(spans["vacant"]) == pytest.approx(math.pi, abs=1e-3)
    for left, right in itertools.pairwise(keys):
        assert max(spans[left]) <= min(spans[right]) + 1e-3, (left, right)


def test_bigger_councils_get_more_rows_and_smaller_seats() -> None:
    def seat_radius(size: int) -> float:
        return centres(parse(hemicycle_svg(uniform(size), size, title="C")))[0][2]

    radii = [seat_radius(n) for n in (5, 22, 100, 650, 3000)]
    assert radii == sorted(radii, reverse=True)
    assert len(set(radii)) == len(radii)


def test_coordinates_have_at_most_two_decimals() -> None:
    root = parse(hemicycle_svg(COMMONS, 660, title="Commons"))
    for circle in seats(root):
        for name in ("cx", "cy", "r"):
            value = circle.attrib[name]
            assert len(value.partition(".")[2]) <= 2, value


# --- the svg element ---------------------------------------------------------------------------


def test_root_scales_to_its_container_and_is_labelled() -> None:
    root = parse(hemicycle_svg(PETROGRAD, 22, title="Executive committee"))
    assert root.tag == f"{SVG}svg"
    assert "viewBox" in root.attrib
    assert "width" not in root.attrib
    assert "height" not in root.attrib
    assert root.get("role") == "img"
    title = root.find(f"svg:title[@id='{root.attrib['aria-labelledby']}']", NS)
    assert title is not None
    assert title.text == "Executive committee"
    desc = root.find(f"svg:desc[@id='{root.attrib['aria-describedby']}']", NS)
    assert desc is not None


def test_desc_summarises_the_composition_in_words() -> None:
    root = parse(hemicycle_svg(PETROGRAD, 22, title="Executive committee"))
    desc = root.find("svg:desc", NS)
    assert desc is not None
    assert desc.text == "Bolsheviks 13, Social Revolutionaries 6, Mensheviks 3 — 22 seats"


def test_desc_counts_vacant_seats() -> None:
    root = parse(hemicycle_svg(PETROGRAD[:1], 15, title="C", vacant_label="Empty"))
    desc = root.find("svg:desc", NS)
    assert desc is not None
    assert desc.text == "Bolsheviks 13, Empty 2 — 15 seats"


def test_labels_and_title_are_escaped() -> None:
    evil = 'Bad <script>alert("x")</script> & Co'
    groups = [SeatGroup('k"><script>', evil, 2, '#fff" onload="x')]
    svg = hemicycle_svg(groups, 3, title="<b>Council</b> & friends", vacant_label="<i>")
    assert "<script>" not in svg
    assert "<b>" not in svg
    assert "<i>" not in svg
    root = parse(svg)
    assert not list(root.iter(f"{SVG}script"))
    title = root.find("svg:title", NS)
    assert title is not None
    assert title.text == "<b>Council</b> & friends"
    circles = seats(root)
    assert [c.attrib["data-faction"] for c in circles] == ['k"><script>', 'k"><script>', "vacant"]
    tooltips = [c.find("svg:title", NS) for c in circles]
    assert [t.text for t in tooltips if t is not None] == [evil, evil, "<i>"]
    desc = root.find("svg:desc", NS)
    assert desc is not None
    assert desc.text == f"{evil} 2, <i> 1 — 3 seats"
    assert all("onload" not in attribute for e in root.iter() for attribute in e.attrib)


def test_same_input_gives_the_same_string() -> None:
    assert hemicycle_svg(COMMONS, 660, title="Commons") == hemicycle_svg(
        list(COMMONS), 660, title="Commons"
    )


def test_different_diagrams_get_different_element_ids() -> None:
    a = parse(hemicycle_svg(PETROGRAD, 22, title="Executive committee"))
    b = parse(hemicycle_svg(COMMONS, 650, title="Commons"))
    assert a.attrib["aria-labelledby"] != b.attrib["aria-labelledby"]


# --- edge cases --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "groups", [[], [SeatGroup("nobody", "Nobody", 0, "#000000")]], ids=["no-groups", "empty-group"]
)
def test_zero_seats_says_no_seats(groups: list[SeatGroup]) -> None:
    root = parse(hemicycle_svg(groups, 0, title="New council"))
    assert not seats(root)
    assert root.get("role") == "img"
    assert "width" not in root.attrib
    title = root.find("svg:title", NS)
    assert title is not None
    assert title.text == "New council"
    desc = root.find("svg:desc", NS)
    assert desc is not None
    assert desc.text == "No seats"
    assert ["".join(t.itertext()) for t in root.iter(f"{SVG}text")] == ["No seats"]


def test_only_vacant_seats() -> None:
    root = parse(hemicycle_svg([], 5, title="New council"))
    assert counts(root) == {"vacant": 5}
    assert ["".join(t.itertext()) for t in root.iter(f"{SVG}text")] == ["of 5 seats", "0"]


def test_negative_total_is_an_error() -> None:
    with pytest.raises(ValueError, match="negative"):
        hemicycle_svg(PETROGRAD, -1, title="C")


def test_negative_group_is_an_error() -> None:
    with pytest.raises(ValueError, match="negative"):
        hemicycle_svg([SeatGroup("a", "A", -1, "#000000")], 5, title="C")


# --- property ----------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    sizes=st.lists(st.integers(min_value=0, max_value=300), max_size=8),
    extra=st.integers(min_value=-50, max_value=100),
)
def test_counts_per_key_are_exact_for_any_composition(sizes: list[int], extra: int) -> None:
    groups = [SeatGroup(f"f{i}", f"Faction {i}", n, "#336699") for i, n in enumerate(sizes)]
    filled = sum(sizes)
    total = max(filled + extra, 0)
    root = parse(hemicycle_svg(groups, total, title="Council"))
    expected = Counter({f"f{i}": n for i, n in enumerate(sizes) if n > 0})
    if total > filled:
        expected["vacant"] = total - filled
    assert counts(root) == expected
    assert_no_overlap(root)
