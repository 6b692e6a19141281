"""The pieces of the downloads that need no database: CSV text, numbers, file names, the
Content-Disposition header, and the CSS string that names the minutes in the page margin."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from urllib.parse import unquote

import pytest

from smolny.services.downloads import csv_text, file_name, number
from smolny.web.downloads import attachment
from smolny.web.printing import css_string


def test_csv_text_starts_with_a_bom_for_spreadsheets_and_reads_back_exactly() -> None:
    rows = [
        ("Зиновьев, Г. Е.", 'He said "no"', None),
        ("line\nbreak", 3, 2.5),
    ]
    text = csv_text(("name", "quote", "n"), rows, bom=True)
    assert text.startswith("\ufeffname,quote,n\r\n")
    read = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    assert read == [
        ["name", "quote", "n"],
        ["Зиновьев, Г. Е.", 'He said "no"', ""],
        ["line\nbreak", "3", "2.5"],
    ]
    assert not csv_text(("a",), [], bom=False).startswith("\ufeff")


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (27, 27),
        (27.0, 27),
        (7.99995, "7.99995"),
        (2.3333333, "2.33333"),
        (0.5, "0.5"),
        (None, None),
    ],
)
def test_vote_values_are_whole_or_exact_to_a_hundred_thousandth(
    value: object, shown: object
) -> None:
    assert number(value) == shown


def test_a_file_name_says_what_it_holds_in_any_script() -> None:
    assert file_name("minutes", "Petrograd Soviet", date(1917, 8, 31), suffix="pdf") == (
        "minutes-petrograd-soviet-1917-08-31.pdf"
    )
    assert file_name("composition", "Петроградский Совет", date(1917, 10, 25), suffix="csv") == (
        "composition-петроградский-совет-1917-10-25.csv"
    )
    assert file_name("election", 4, "Workers' & Soldiers'", date(1917, 6, 5), suffix="json") == (
        "election-4-workers-soldiers-1917-06-05.json"
    )


def test_the_download_header_names_the_file_in_ascii_and_exactly_in_utf8() -> None:
    header = attachment("minutes-петроград-1917-08-31.pdf")["Content-Disposition"]
    plain = re.search(r'filename="([^"]*)"', header)
    exact = re.search(r"filename\*=UTF-8''(\S+)", header)
    assert plain is not None
    assert exact is not None
    assert plain.group(1) == "minutes-" + "_" * len("петроград") + "-1917-08-31.pdf"
    assert unquote(exact.group(1)) == "minutes-петроград-1917-08-31.pdf"
    assert header.startswith("attachment; ")


def test_the_margin_title_cannot_end_its_string_or_its_style_element() -> None:
    text = 'Soviet "A" </style><script>x()</script> \\ Совет'
    literal = css_string(text)
    assert literal.startswith('"')
    assert literal.endswith('"')
    inner = literal[1:-1]
    assert not set(inner) & set("\"'<>/();")
    # Read back as CSS does: each escape is six hex digits and one space.
    decoded = re.sub(r"\\([0-9a-f]{6}) ", lambda m: chr(int(m.group(1), 16)), inner)
    assert decoded == text
