"""Writing CSV that spreadsheet programs open safely (docs/spreadsheets.md,
"Formulas in cells").

Excel, LibreOffice and Google Sheets run a cell that starts with ``=``, ``+``,
``-`` or ``@`` as a formula: ``=HYPERLINK(…)`` sends the sheet's contents
elsewhere, ``=cmd|…`` runs programs. OWASP's "CSV Injection" guidance, which this
module follows:

- a cell starting with one of those characters, or with a tab, carriage return or
  NUL, gets a single quote ``'`` in front, so the program shows it as text
  (:func:`csv_safe_cell`);
- every field is written between double quotes (and a double quote inside is
  doubled), so a ``,`` or ``;`` inside a cell can never start a new cell whose
  first character is ``=`` in a program that splits on it.

**Numbers.** A cell that is only a negative decimal number (``-12.50``, ``-3``) is
left as it is, although it starts with ``-``: a number cannot be a formula, and
money columns (refunds, commission, adjustments) must stay numbers that a sheet
can add up. Anything else that starts with ``-`` (``-1+1``, ``-cmd|…``) is quoted.

**Reversible.** A cell that already starts with quotes followed by such a
character (``'=1+1``) gets one more quote, so :func:`csv_unguard_cell` (what the
importers use) gives back exactly the text that was written, and a file Pūrei
exports imports back unchanged.

Every CSV Pūrei writes goes through :func:`csv_writer` (a test fails when a module
outside this one calls ``csv.writer`` itself). Input that is a *name* (business,
bank account, cluster) is refused when it starts like a formula
(:func:`validate_not_formula`, code ``formula_start``); rows saved before that
rule are still neutralised here on the way out.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Final

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

# OWASP's list (= + - @ tab, carriage return), and NUL from ASVS 5.0 (1.2.10).
FORMULA_START: Final = frozenset("=+-@\t\r\0")
GUARD: Final = "'"
FORMULA_START_CODE: Final = "formula_start"
# A plain negative decimal number, as ``dollars()`` and counts write them.
_NEGATIVE_NUMBER = re.compile(r"-[0-9]+(?:\.[0-9]+)?")


def _reads_as_formula(text: str) -> bool:
    """True when a spreadsheet would run ``text`` as a formula, also when it is
    such a text behind quotes already (so that guarding can be undone exactly)."""
    bare = text.lstrip(GUARD)
    return bare[:1] in FORMULA_START and _NEGATIVE_NUMBER.fullmatch(bare) is None


def csv_safe_cell(value: object) -> str:
    """``value`` as the text of one CSV cell that no spreadsheet runs as a formula."""
    text = "" if value is None else str(value)
    return GUARD + text if _reads_as_formula(text) else text


def csv_unguard_cell(text: str) -> str:
    """The text :func:`csv_safe_cell` was given for the cell ``text``: one leading
    quote dropped when it guards a formula, anything else unchanged."""
    if text.startswith(GUARD) and _reads_as_formula(text[1:]):
        return text[1:]
    return text


class SafeCsvWriter:
    """``csv.writer``'s ``writerow``/``writerows``, every cell neutralised and
    quoted, rows ended with CRLF (RFC 4180)."""

    def __init__(self, out: SupportsWrite[str]) -> None:
        self._writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([csv_safe_cell(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(out: SupportsWrite[str]) -> SafeCsvWriter:
    """The writer for every CSV file Pūrei makes (``out`` opened with newline="")."""
    return SafeCsvWriter(out)


def csv_text(rows: Iterable[Iterable[object]]) -> str:
    """``rows`` as the text of a safe CSV file."""
    out = io.StringIO(newline="")
    csv_writer(out).writerows(rows)
    return out.getvalue()


# --- Refusing names that start like a formula --------------------------------------


def starts_like_formula(value: str) -> bool:
    """True when ``value`` (spaces around it ignored) starts with ``=``, ``+``, ``-``,
    ``@`` (or a tab, carriage return or NUL): refused in names at input."""
    text = value.strip(" \n\u00a0")
    return text[:1] in FORMULA_START


def formula_start_message() -> str:
    return _(
        "Start with a letter or a digit: spreadsheet programs run text that starts "
        "with =, +, - or @ as a formula."
    )


def validate_not_formula(value: str) -> None:
    """Django validator: refuses a name that starts like a formula."""
    if starts_like_formula(value):
        raise ValidationError(formula_start_message(), code=FORMULA_START_CODE)
