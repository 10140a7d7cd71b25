"""Format rules for New Zealand business identifiers (domain-nz.md §3).

Each rule comes twice: a pure function (``nzbn_normalise``, ``ird_number_normalise``,
``bank_account_normalise``) that returns the stored form or raises ``FormatError``
with a message a person can act on, and a Django validator (``validate_nzbn`` …) for
forms and model fields. Nothing here touches the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import ean
from stdnum.au import abn as stdnum_abn

# --- Shared -----------------------------------------------------------------------

# Separators people type inside numbers: spaces (also non-breaking), hyphens, dashes.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015]+")


class FormatError(ValueError):
    """The value breaks a format rule; ``code`` is stable, ``message`` is for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _digits_only(value: str) -> str:
    return _SEPARATORS.sub("", value.strip())


# --- NZBN (§3.1) ------------------------------------------------------------------

NZBN_LENGTH = 13
NZBN_PREFIX = "94"


def gs1_check_digit(body: str) -> int:
    """The GS1 mod-10 check digit of ``body`` (the GTIN-13/GLN method, which the
    NZBN uses), as python-stdnum works it out."""
    return int(ean.calc_check_digit(body))


def nzbn_normalise(value: str) -> str:
    """The NZBN as 13 digits; ``FormatError`` if it is not a valid NZBN."""
    digits = _digits_only(value)
    if not digits.isascii() or not digits.isdigit():
        raise FormatError(
            "nzbn_format", _("An NZBN has only digits: 13 of them, starting with 94.")
        )
    if len(digits) != NZBN_LENGTH:
        raise FormatError(
            "nzbn_length",
            _("An NZBN has 13 digits; this one has %(count)s.")
            % {"count": len(digits)},
        )
    if not digits.startswith(NZBN_PREFIX):
        raise FormatError(
            "nzbn_prefix", _("A New Zealand Business Number starts with 94.")
        )
    if gs1_check_digit(digits[:-1]) != int(digits[-1]):
        raise FormatError(
            "nzbn_check_digit",
            _(
                "This is not a valid NZBN: its last digit does not match. Check it "
                "against the NZBN register."
            ),
        )
    return digits


def nzbn_is_valid(value: str) -> bool:
    try:
        nzbn_normalise(value)
    except FormatError:
        return False
    return True


# --- IRD / GST number (§3.2) ------------------------------------------------------

IRD_NUMBER_MIN = 10_000_000
# The IRD 2016 specification's upper bound; settings.IRD_NUMBER_MAX overrides it
# (domain-nz.md §3.2: the current bound is unconfirmed, one library uses 200,000,000).
IRD_NUMBER_MAX_DEFAULT = 150_000_000
_IRD_PRIMARY_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)
_IRD_SECONDARY_WEIGHTS = (7, 4, 3, 2, 5, 2, 7, 6)


def ird_number_max() -> int:
    return int(getattr(settings, "IRD_NUMBER_MAX", IRD_NUMBER_MAX_DEFAULT))


def _ird_check(base: str, weights: tuple[int, ...]) -> int:
    remainder = sum(int(d) * w for d, w in zip(base, weights, strict=True)) % 11
    return 0 if remainder == 0 else 11 - remainder


def ird_check_digit(base: str) -> int | None:
    """IRD's modulus-11 check digit for a 7- or 8-digit base; None if none exists."""
    padded = base.zfill(8)
    check = _ird_check(padded, _IRD_PRIMARY_WEIGHTS)
    if check == 10:
        check = _ird_check(padded, _IRD_SECONDARY_WEIGHTS)
    return None if check == 10 else check


def ird_number_normalise(value: str) -> str:
    """The IRD (GST) number as its 8 or 9 digits; ``FormatError`` if invalid.

    Accepts ``123-456-789``, ``12-345-678`` and spaces. Leading zeros of a 9-box
    form ("012-345-678") are dropped down to 8 digits.
    """
    digits = _digits_only(value)
    if not digits.isascii() or not digits.isdigit():
        raise FormatError(
            "ird_format",
            _("A GST (IRD) number has only digits, like 123-456-789."),
        )
    if len(digits) == 9 and digits.startswith("0"):
        digits = digits[1:]
    if len(digits) not in (8, 9):
        raise FormatError(
            "ird_length",
            _("A GST (IRD) number has 8 or 9 digits; this one has %(count)s.")
            % {"count": len(digits)},
        )
    number = int(digits)
    if not IRD_NUMBER_MIN <= number <= ird_number_max():
        raise FormatError(
            "ird_range",
            _("This is not an IRD number that Inland Revenue issues. Check it."),
        )
    if ird_check_digit(digits[:-1]) != int(digits[-1]):
        raise FormatError(
            "ird_check_digit",
            _(
                "This is not a valid GST (IRD) number: its last digit does not "
                "match. Check it against your GST registration."
            ),
        )
    return digits


def ird_number_is_valid(value: str) -> bool:
    try:
        ird_number_normalise(value)
    except FormatError:
        return False
    return True


def ird_number_format(digits: str) -> str:
    """``123-456-789`` (9 digits) or ``12-345-678`` (8 digits) for display."""
    if len(digits) == 9:
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    if len(digits) == 8:
        return f"{digits[:2]}-{digits[2:5]}-{digits[5:]}"
    return digits


# --- NZ bank accounts -------------------------------------------------------------
#
# Format: bank (2 digits) - branch (4) - account base (7) - suffix (2 or 3), stored
# as "BB-bbbb-AAAAAAA-SSS". The banks, their branch ranges and the check-digit
# algorithms below are those of Inland Revenue's "RWT and NRWT certificate filing
# specification" (2020, v1.0, chapter 8, "Bank account number validation"), the
# published form of Payments NZ's BECS rules. Where we are unsure:
# - The list is IRD's as of 2020. A bank or branch range opened later (for example
#   a new bank code) is refused until it is added here; the refusal says so, and
#   names the bank code, so support can check and add it.
# - Bank names are for messages only and follow common usage; several codes are
#   legacy codes of banks that merged (e.g. 06 from The National Bank, now ANZ).
# - Algorithm C of the specification is listed there for no bank code, so it is
#   not used.

BANK_NAMES: dict[str, str] = {
    "01": "ANZ",
    "02": "BNZ",
    "03": "Westpac",
    "04": "ANZ",
    "06": "ANZ (The National Bank)",
    "08": "National Australia Bank",
    "09": "Reserve Bank of New Zealand",
    "10": "Industrial and Commercial Bank of China",
    "11": "ANZ (PostBank)",
    "12": "ASB",
    "13": "Westpac (Trust Bank)",
    "14": "Westpac (Trust Bank)",
    "15": "TSB",
    "16": "Westpac (Trust Bank)",
    "17": "Westpac (Trust Bank)",
    "18": "Westpac (Trust Bank)",
    "19": "Westpac (Trust Bank)",
    "20": "Westpac (Trust Bank)",
    "21": "Westpac (Trust Bank)",
    "22": "Westpac (Trust Bank)",
    "23": "Westpac (Trust Bank)",
    "24": "ASB (Trust Bank)",
    "25": "ANZ (Countrywide)",
    "26": "Westpac",
    "27": "Westpac",
    "28": "China Construction Bank",
    "29": "United Bank",
    "30": "HSBC",
    "31": "Citibank",
    "33": "Westpac",
    "35": "HSBC",
    "38": "Kiwibank",
}

# Branch ranges per bank (inclusive), IRD 2020 specification.
BANK_BRANCHES: dict[str, tuple[tuple[int, int], ...]] = {
    "01": ((1, 999), (1100, 1199), (1800, 1899)),
    "02": ((1, 999), (1200, 1299)),
    "03": ((1, 999), (1300, 1399), (1500, 1599), (1700, 1799), (1900, 1999)),
    "04": ((2020, 2024),),
    "06": ((1, 999), (1400, 1499)),
    "08": ((6500, 6599),),
    "09": ((0, 0),),
    "10": ((5165, 5169),),
    "11": ((5000, 6499), (6600, 8999)),
    "12": ((3000, 3299), (3400, 3499), (3600, 3699)),
    "13": ((4900, 4999),),
    "14": ((4700, 4799),),
    "15": ((3900, 3999),),
    "16": ((4400, 4499),),
    "17": ((3300, 3399),),
    "18": ((3500, 3599),),
    "19": ((4600, 4649),),
    "20": ((4100, 4199),),
    "21": ((4800, 4899),),
    "22": ((4000, 4049),),
    "23": ((3700, 3799),),
    "24": ((4300, 4349),),
    "25": ((2500, 2599),),
    "26": ((2600, 2699),),
    "27": ((3800, 3849),),
    "28": ((2100, 2149),),
    "29": ((2150, 2299),),
    "30": ((2900, 2949),),
    "31": ((2800, 2849),),
    "33": ((6700, 6799),),
    "35": ((2400, 2499),),
    "38": ((9000, 9499),),
}


@dataclass(frozen=True)
class _Algorithm:
    # Weights over the 18 digits bank(2) branch(4) base(8, zero-padded) suffix(4).
    weights: tuple[int, ...]
    modulus: int
    # E and G add up the digits of each product (repeatedly) before summing.
    sum_product_digits: bool = False


_ALGORITHMS: dict[str, _Algorithm] = {
    "A": _Algorithm((0, 0, 6, 3, 7, 9, 0, 0, 10, 5, 8, 4, 2, 1, 0, 0, 0, 0), 11),
    "B": _Algorithm((0, 0, 0, 0, 0, 0, 0, 0, 10, 5, 8, 4, 2, 1, 0, 0, 0, 0), 11),
    "D": _Algorithm((0, 0, 0, 0, 0, 0, 0, 7, 6, 5, 4, 3, 2, 1, 0, 0, 0, 0), 11),
    "E": _Algorithm((0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 4, 3, 2, 0, 0, 0, 1), 11, True),
    "F": _Algorithm((0, 0, 0, 0, 0, 0, 0, 1, 7, 3, 1, 7, 3, 1, 0, 0, 0, 0), 10),
    "G": _Algorithm((0, 0, 0, 0, 0, 0, 0, 1, 3, 7, 1, 3, 7, 1, 0, 3, 7, 1), 10, True),
}
# Banks with their own algorithm; every other listed bank uses A (account bases
# below 00990000) or B. Bank 31 (Citibank) has no check digit ("X").
_BANK_ALGORITHMS = {"08": "D", "09": "E", "25": "F", "26": "G", "28": "G"}
_BANK_ALGORITHMS |= {"29": "G", "31": "X", "33": "F"}


@dataclass(frozen=True)
class BankAccount:
    bank: str  # 2 digits
    branch: str  # 4 digits
    account: str  # 7 digits
    suffix: str  # 3 digits

    def __str__(self) -> str:
        return f"{self.bank}-{self.branch}-{self.account}-{self.suffix}"

    @property
    def bank_name(self) -> str:
        return BANK_NAMES.get(self.bank, "")


def _digit_sum(value: int) -> int:
    while value > 9:
        value = sum(int(d) for d in str(value))
    return value


def bank_account_algorithm(account: BankAccount) -> str:
    """The letter of the IRD check-digit algorithm that applies to ``account``."""
    if account.bank in _BANK_ALGORITHMS:
        return _BANK_ALGORITHMS[account.bank]
    return "A" if int(account.account) < 990000 else "B"


def bank_account_checksum_ok(account: BankAccount) -> bool:
    """True when ``account`` passes IRD's check-digit test for its bank."""
    letter = bank_account_algorithm(account)
    if letter == "X":
        return True
    algorithm = _ALGORITHMS[letter]
    digits = (
        account.bank
        + account.branch
        + account.account.zfill(8)
        + account.suffix.zfill(4)
    )
    total = 0
    for digit, weight in zip(digits, algorithm.weights, strict=True):
        product = int(digit) * weight
        total += _digit_sum(product) if algorithm.sum_product_digits else product
    return total % algorithm.modulus == 0


def _bank_account_parts(value: str) -> tuple[str, str, str, str]:
    text = value.strip()
    groups = [group for group in _SEPARATORS.split(text) if group]
    message = _(
        "Write the account as bank-branch-account-suffix: 2, 4, 7 and 2 or 3 digits, "
        "e.g. 12-3140-0123456-00."
    )
    if not all(group.isascii() and group.isdigit() for group in groups):
        raise FormatError("bank_account_format", message)
    if len(groups) == 1:
        digits = groups[0]
        if len(digits) not in (15, 16):
            raise FormatError("bank_account_format", message)
        return digits[:2], digits[2:6], digits[6:13], digits[13:]
    if len(groups) != 4:
        raise FormatError("bank_account_format", message)
    bank, branch, account, suffix = groups
    if (
        len(bank) != 2
        or len(branch) not in (3, 4)
        or len(account) != 7
        or len(suffix) not in (2, 3)
    ):
        raise FormatError("bank_account_format", message)
    return bank, branch.zfill(4), account, suffix


def bank_account_parse(value: str) -> BankAccount:
    """Parse and check an NZ bank account; ``FormatError`` says what is wrong.

    Accepts spaces or hyphens between the parts (or none), a 3-digit branch and a
    2-digit suffix; returns the parts zero-padded (branch 4, suffix 3 digits).
    """
    bank, branch, account, suffix = _bank_account_parts(value)
    parsed = BankAccount(
        bank=bank, branch=branch, account=account, suffix=suffix.zfill(3)
    )
    if bank not in BANK_BRANCHES:
        raise FormatError(
            "bank_account_bank",
            _(
                "%(bank)s is not a New Zealand bank number we know. Check the first "
                "two digits, or contact us if your bank is new."
            )
            % {"bank": bank},
        )
    branch_number = int(branch)
    if not any(low <= branch_number <= high for low, high in BANK_BRANCHES[bank]):
        raise FormatError(
            "bank_account_branch",
            _("%(branch)s is not a branch number of bank %(bank)s (%(name)s).")
            % {"branch": branch, "bank": bank, "name": BANK_NAMES[bank]},
        )
    if not bank_account_checksum_ok(parsed):
        raise FormatError(
            "bank_account_check_digit",
            _(
                "This account number does not pass the bank's check: one of its "
                "digits is probably wrong."
            ),
        )
    return parsed


def bank_account_normalise(value: str) -> str:
    """The account as ``BB-bbbb-AAAAAAA-SSS``; ``FormatError`` if it is not valid."""
    return str(bank_account_parse(value))


def bank_account_is_valid(value: str) -> bool:
    try:
        bank_account_parse(value)
    except FormatError:
        return False
    return True


def bank_account_mask(value: str) -> str:
    """Only the last four digits of the account number shown (for logs and pages)."""
    if not value:
        return ""
    digits = [char for char in value if char.isdigit()]
    keep_from, keep_to = len(digits) - 7, len(digits) - 3  # 4 digits before suffix
    out, seen = [], 0
    for char in value:
        if char.isdigit():
            out.append(char if keep_from <= seen < keep_to else "•")
            seen += 1
        else:
            out.append(char)
    return "".join(out)


# --- ABN (domain-nz.md §2) ---------------------------------------------------------

ABN_LENGTH = 11


def abn_normalise(value: str) -> str:
    """The Australian Business Number as 11 digits; ``FormatError`` if it is not a
    valid ABN (the ATO's check digits, as python-stdnum works them out)."""
    digits = _digits_only(value)
    if not digits.isascii() or not digits.isdigit():
        raise FormatError(
            "abn_format", _("An ABN has only digits: 11 of them, e.g. 51 824 753 556.")
        )
    if len(digits) != ABN_LENGTH:
        raise FormatError(
            "abn_length",
            _("An ABN has 11 digits; this one has %(count)s.") % {"count": len(digits)},
        )
    if not stdnum_abn.is_valid(digits):
        raise FormatError(
            "abn_check_digits",
            _(
                "This is not a valid ABN: its check digits do not match. Check it "
                "on ABN Lookup."
            ),
        )
    return digits


def abn_format(digits: str) -> str:
    """An ABN as people write it: 51 824 753 556."""
    return str(stdnum_abn.format(digits))


# --- Django validators ------------------------------------------------------------


def validate_nzbn(value: str) -> None:
    try:
        nzbn_normalise(value)
    except FormatError as exc:
        raise ValidationError(exc.message, code=exc.code) from exc


def validate_ird_number(value: str) -> None:
    try:
        ird_number_normalise(value)
    except FormatError as exc:
        raise ValidationError(exc.message, code=exc.code) from exc


def validate_bank_account(value: str) -> None:
    try:
        bank_account_parse(value)
    except FormatError as exc:
        raise ValidationError(exc.message, code=exc.code) from exc
