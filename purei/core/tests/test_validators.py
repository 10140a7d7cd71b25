import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from hypothesis import assume, given
from hypothesis import strategies as st

from purei.core.validators import (
    BANK_BRANCHES,
    FormatError,
    bank_account_is_valid,
    bank_account_mask,
    bank_account_normalise,
    bank_account_parse,
    gs1_check_digit,
    ird_check_digit,
    ird_number_format,
    ird_number_is_valid,
    ird_number_normalise,
    nzbn_is_valid,
    nzbn_normalise,
    validate_bank_account,
    validate_ird_number,
    validate_nzbn,
)

digits = st.text(alphabet="0123456789", min_size=1, max_size=1)


def code_of(call, value: str) -> str:
    with pytest.raises(FormatError) as caught:
        call(value)
    return caught.value.code


# --- NZBN ---------------------------------------------------------------------


@pytest.mark.parametrize("nzbn", ["9429046393920", "9429050294954"])
def test_real_nzbns_are_valid(nzbn):
    # then
    assert nzbn_normalise(nzbn) == nzbn


def test_nzbn_written_with_spaces_is_kept_as_digits():
    # then
    assert nzbn_normalise(" 94 2904 639 3920 ") == "9429046393920"
    assert nzbn_normalise("942-9046-393920") == "9429046393920"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("9429046393921", "nzbn_check_digit"),
        ("942904639392", "nzbn_length"),
        ("94290463939200", "nzbn_length"),
        ("9529046393920", "nzbn_prefix"),
        ("94290463939a0", "nzbn_format"),
        ("\uff19\uff14" + "2904639392" + "\uff10", "nzbn_format"),  # full-width
    ],
)
def test_bad_nzbns_say_what_is_wrong(value, code):
    # then
    assert code_of(nzbn_normalise, value) == code


@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_any_body_with_its_gs1_check_digit_is_a_valid_nzbn(body):
    # given
    nzbn = "94" + body[:10] + str(gs1_check_digit("94" + body[:10]))
    # then
    assert nzbn_is_valid(nzbn)


@given(
    st.text(alphabet="0123456789", min_size=10, max_size=10),
    st.integers(min_value=2, max_value=12),
    st.integers(min_value=1, max_value=9),
)
def test_changing_one_digit_of_a_valid_nzbn_is_caught(body, position, shift):
    # given
    valid = "94" + body + str(gs1_check_digit("94" + body))
    changed = list(valid)
    changed[position] = str((int(changed[position]) + shift) % 10)
    # then: weights 1 and 3 are both prime to 10, so any single change shows
    assert not nzbn_is_valid("".join(changed))


def test_the_django_validator_raises_a_field_error():
    # then
    with pytest.raises(ValidationError) as caught:
        validate_nzbn("9429046393921")
    assert caught.value.code == "nzbn_check_digit"
    assert "last digit" in caught.value.messages[0]


# --- IRD / GST numbers --------------------------------------------------------


@pytest.mark.parametrize("number", ["49091850", "35901981", "49098576", "136410132"])
def test_published_ird_numbers_are_valid(number):
    # then
    assert ird_number_normalise(number) == number


def test_ird_numbers_are_accepted_with_dashes_and_a_leading_zero():
    # then
    assert ird_number_normalise("136-410-132") == "136410132"
    assert ird_number_normalise("49-091-850") == "49091850"
    assert ird_number_normalise("049-091-850") == "49091850"
    assert ird_number_format("136410132") == "136-410-132"
    assert ird_number_format("49091850") == "49-091-850"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("136410133", "ird_check_digit"),
        ("9125568", "ird_length"),
        ("1234567890", "ird_length"),
        ("09999999", "ird_range"),
        ("150000001", "ird_range"),
        ("12-345-67x", "ird_format"),
    ],
)
def test_bad_ird_numbers_say_what_is_wrong(value, code):
    # then
    assert code_of(ird_number_normalise, value) == code


@given(st.integers(min_value=1_000_000, max_value=14_999_999))
def test_a_valid_ird_number_survives_formatting_and_a_changed_check_digit_fails(base):
    # given
    check = ird_check_digit(str(base))
    assume(check is not None)
    number = f"{base}{check}"
    # then
    assert ird_number_normalise(ird_number_format(number)) == number
    for other in set(range(10)) - {check}:
        assert not ird_number_is_valid(f"{base}{other}")


def test_the_upper_bound_comes_from_settings():
    # given: a number between 150,000,000 and 200,000,000 with a good check digit
    base = next(b for b in range(15_000_001, 15_100_000) if ird_check_digit(str(b)))
    number = f"{base}{ird_check_digit(str(base))}"
    # then
    assert not ird_number_is_valid(number)
    with override_settings(IRD_NUMBER_MAX=200_000_000):
        assert ird_number_is_valid(number)


def test_the_ird_django_validator_raises_a_field_error():
    # then
    with pytest.raises(ValidationError) as caught:
        validate_ird_number("136410133")
    assert caught.value.code == "ird_check_digit"


# --- Bank accounts ------------------------------------------------------------

# Examples of IRD's specification (algorithms A, D and G), and a widely published one.
KNOWN_VALID = [
    ("01-902-0068389-00", "01-0902-0068389-000"),
    ("08-6523-1954512-001", "08-6523-1954512-001"),
    ("26-2600-0320871-032", "26-2600-0320871-032"),
    ("01-0242-0100194-00", "01-0242-0100194-000"),
]


@pytest.mark.parametrize(("value", "normalised"), KNOWN_VALID)
def test_known_accounts_are_valid_and_normalised(value, normalised):
    # then
    assert bank_account_normalise(value) == normalised


@pytest.mark.parametrize(
    "value",
    [
        "01 0902 0068389 00",
        "01-0902-0068389-000",
        "010902006838900",
        "0109020068389000",
        " 01\u20130902\u20130068389\u201300 ",  # en dashes
    ],
)
def test_spaces_dashes_and_no_separators_are_all_accepted(value):
    # then
    assert bank_account_normalise(value) == "01-0902-0068389-000"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("01-0242-0100195-00", "bank_account_check_digit"),
        ("05-0001-0000001-00", "bank_account_bank"),
        ("99-0001-0000001-00", "bank_account_bank"),
        ("01-9999-0100197-00", "bank_account_branch"),
        ("12-3140-012345-00", "bank_account_format"),
        ("12-3140-0123456-0", "bank_account_format"),
        ("12-3140-0123456-0000", "bank_account_format"),
        ("12-3140-0123456", "bank_account_format"),
        ("12 3140 0123456 00 7", "bank_account_format"),
        ("ab-3140-0123456-00", "bank_account_format"),
        ("1231400123456", "bank_account_format"),
    ],
)
def test_bad_accounts_say_what_is_wrong(value, code):
    # then
    assert code_of(bank_account_normalise, value) == code


def test_the_bank_message_names_the_bank_code():
    # when
    with pytest.raises(FormatError) as caught:
        bank_account_normalise("07-0001-0000001-00")
    # then
    assert "07" in caught.value.message


A_WEIGHTS = (6, 3, 7, 9, 0, 0, 10, 5, 8, 4, 2, 1)  # branch 4, base 8 digits
A_BANKS = sorted(
    bank
    for bank in BANK_BRANCHES
    if bank not in {"08", "09", "25", "26", "28", "29", "31", "33"}
)


@st.composite
def algorithm_a_accounts(draw):
    """Accounts of banks using IRD's algorithm A, with a check digit we derive."""
    bank = draw(st.sampled_from(A_BANKS))
    low, high = draw(st.sampled_from(BANK_BRANCHES[bank]))
    branch = f"{draw(st.integers(min_value=low, max_value=high)):04d}"
    head = f"{draw(st.integers(min_value=0, max_value=98_999)):06d}"  # base < 0990000
    partial = sum(
        w * int(d) for w, d in zip(A_WEIGHTS, branch + "0" + head, strict=False)
    )
    last = (-partial) % 11
    assume(last <= 9)
    suffix = f"{draw(st.integers(min_value=0, max_value=999)):03d}"
    return f"{bank}-{branch}-{head}{last}-{suffix}"


@given(algorithm_a_accounts())
def test_derived_algorithm_a_accounts_are_valid_in_every_spelling(account):
    # then
    assert bank_account_normalise(account) == account
    assert bank_account_normalise(account.replace("-", " ")) == account
    assert bank_account_normalise(account.replace("-", "")) == account


@given(algorithm_a_accounts(), st.integers(min_value=1, max_value=6), st.integers(1, 9))
def test_changing_a_weighted_account_digit_is_caught(account, position, shift):
    # given: digits 2 to 7 of the 7-digit account number carry weights 10, 5, 8, 4, 2, 1
    parts = account.split("-")
    number = list(parts[2])
    number[position] = str((int(number[position]) + shift) % 10)
    changed = "-".join([parts[0], parts[1], "".join(number), parts[3]])
    assume(int(changed.split("-")[2]) < 990000)
    # then
    assert not bank_account_is_valid(changed)


def test_citibank_accounts_have_no_check_digit():
    # then
    assert bank_account_is_valid("31-2800-0123456-000")


def test_parsed_account_knows_its_bank():
    # then
    assert bank_account_parse("38-9000-0000001-00").bank_name == "Kiwibank"


def test_mask_shows_only_the_last_four_digits_of_the_account_number():
    # then
    assert bank_account_mask("01-0902-0068389-000") == "••-••••-•••8389-•••"
    assert bank_account_mask("") == ""


def test_the_bank_django_validator_raises_a_field_error():
    # then
    with pytest.raises(ValidationError) as caught:
        validate_bank_account("01-0242-0100195-00")
    assert caught.value.code == "bank_account_check_digit"
