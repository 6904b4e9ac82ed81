"""Money typed by people and the checks shared by every service that takes input."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desk.services.core.errors import ValidationError
from desk.services.core.money import MAX_CENTS, format_money, parse_money
from desk.services.core.validation import (
    clean_email,
    clean_phone,
    clean_text,
    phone_digits,
    require_positive,
)

# --- money ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "cents"),
    [
        ("$1,200.00", 120_000),
        ("1200", 120_000),
        ("12.5", 1_250),
        ("12.", 1_200),
        (".5", 50),
        ("0.29", 29),
        ("19.99", 1_999),
        ("  $0.99 ", 99),
        ("0", 0),
        ("USD 25", 2_500),
        ("25 usd", 2_500),
        ("€25.10", 2_510),
        ("£ 7", 700),
        ("1 200.50", 120_050),
        ("100000000", MAX_CENTS),
    ],
)
def test_parse_money_reads_what_people_type(typed: str, cents: int) -> None:
    assert parse_money(typed) == cents


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter an amount"),
        ("   ", "Enter an amount"),
        ("$", "Enter an amount"),
        ("abc", "is not an amount"),
        ("12.345", "is not an amount"),
        ("1e3", "is not an amount"),
        ("12.3.4", "is not an amount"),
        ("--5", "is not an amount"),
        ("nan", "is not an amount"),
        ("-5", "can't be negative"),
        ("$-0.01", "can't be negative"),
        ("100000000.01", "too large"),
    ],
)
def test_parse_money_refuses_anything_else(typed: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message) as error:
        parse_money(typed)
    assert error.value.field == "price"


def test_parse_money_names_the_field_it_was_given() -> None:
    with pytest.raises(ValidationError) as error:
        parse_money("lots", field="amount")
    assert error.value.field == "amount"


@pytest.mark.parametrize(
    ("cents", "currency", "text"),
    [
        (12_345, "USD", "$123.45"),
        (0, "USD", "$0.00"),
        (5, "USD", "$0.05"),
        (-5, "USD", "-$0.05"),
        (123_456_789, "USD", "$1,234,567.89"),
        (1_200, "EUR", "12.00 EUR"),
        (-250, "CAD", "-2.50 CAD"),
    ],
)
def test_format_money(cents: int, currency: str, text: str) -> None:
    assert format_money(cents, currency) == text


@given(st.integers(0, MAX_CENTS))
def test_formatted_money_parses_back_to_the_same_cents(cents: int) -> None:
    assert parse_money(format_money(cents)) == cents


@given(st.integers(0, 10_000_000), st.integers(0, 99))
def test_two_decimals_never_lose_a_cent(dollars: int, cents: int) -> None:
    assert parse_money(f"{dollars}.{cents:02d}") == dollars * 100 + cents


# --- text -------------------------------------------------------------------------------------


def test_clean_text_strips_and_normalises() -> None:
    assert clean_text("  Zoë  ", "first_name") == "Zoë"
    # "e" + combining acute and the precomposed "é" are the same name.
    assert clean_text("Rene\u0301e", "first_name") == "Ren\u00e9e"
    assert clean_text(None, "notes") == ""
    assert clean_text("line one\nline two\tend", "notes", max_length=100) == (
        "line one\nline two\tend"
    )


def test_clean_text_refuses_control_characters_and_overlong_text() -> None:
    with pytest.raises(ValidationError, match="control characters") as error:
        clean_text("Ann\x07", "first_name")
    assert error.value.field == "first_name"
    assert "first name" in error.value.message
    assert clean_text("x" * 100, "last_name") == "x" * 100
    with pytest.raises(ValidationError, match="at most 100") as error:
        clean_text("x" * 101, "last_name")
    assert error.value.field == "last_name"


# --- email ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        (None, None),
        ("", None),
        ("   ", None),
        ("Ann.Smith@Example.COM", "ann.smith@example.com"),
        ("  ann+gym@mail.co.uk ", "ann+gym@mail.co.uk"),
    ],
)
def test_clean_email_accepts_plausible_addresses(typed: str | None, stored: str | None) -> None:
    assert clean_email(typed) == stored


@pytest.mark.parametrize(
    "typed",
    ["ann", "ann@", "@example.com", "ann@example", "a b@example.com", "a@b@c.com", "a@b.c."],
)
def test_clean_email_refuses_the_rest(typed: str) -> None:
    with pytest.raises(ValidationError, match="doesn't look like an email") as error:
        clean_email(typed)
    assert error.value.field == "email"


# --- phone ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["(555) 0142-77", "+1 212 555 9000", "555.014.2777", "555-0142 x12", "5550142", "1" * 15],
)
def test_clean_phone_keeps_the_number_as_typed(typed: str) -> None:
    assert clean_phone(typed) == typed


def test_blank_phone_is_none() -> None:
    assert clean_phone(None) is None
    assert clean_phone("  ") is None


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("555-01", "has 5"),
        ("1" * 16, "has 16"),
        ("call me", "digits, spaces"),
        ("555-0142 ext 12", "digits, spaces"),
        ("555#0142", "digits, spaces"),
    ],
)
def test_clean_phone_refuses_the_rest(typed: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message) as error:
        clean_phone(typed)
    assert error.value.field == "phone"


def test_phone_digits_keep_only_digits() -> None:
    assert phone_digits("(555) 0142-77") == "555014277"
    assert phone_digits("+1 212 555 9000") == "12125559000"
    assert phone_digits(None) == ""


# --- whole numbers ----------------------------------------------------------------------------


def test_require_positive() -> None:
    assert require_positive(1, "quantity") == 1
    assert require_positive(10_000, "quantity") == 10_000
    assert require_positive(5, "quantity", maximum=5) == 5


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (0, "at least 1"),
        (-1, "at least 1"),
        (6, "at most 5"),
        (True, "whole number"),
        (1.5, "whole number"),
        ("3", "whole number"),
        (None, "whole number"),
    ],
)
def test_require_positive_refuses(value: object, message: str) -> None:
    with pytest.raises(ValidationError, match=message) as error:
        require_positive(value, "quantity", maximum=5)  # type: ignore[arg-type]
    assert error.value.field == "quantity"
