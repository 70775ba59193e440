"""What people type as phone numbers and PINs is normalised or refused in plain words."""
import pytest
from flask_babel import force_locale

from hue_literacy.accounts.phone import (
    InputRefused,
    check_new_pin,
    format_phone,
    normalise_phone,
)


@pytest.mark.parametrize(
    "typed",
    ["0912 345 678", "0912345678", "+84 912345678", "+84912345678", "84912345678",
     "0084 912 345 678", "(+84) 912-345-678", "0912.345.678", " 0912 345 678 "],
)
def test_vietnamese_phone_formats_are_normalised(typed):
    assert normalise_phone(typed) == "0912345678"


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("", "Please enter your phone number"),
        ("091234567", "10 digits"),
        ("09123456789", "10 digits"),
        ("0212345678", "10 digits"),  # not a mobile prefix
        ("0912 abc 678", "only digits"),
        ("+1 650 555 0100", "10 digits"),
    ],
)
def test_malformed_phone_numbers_are_refused_with_a_reason(typed, says, ctx):
    with pytest.raises(InputRefused) as refused:
        normalise_phone(typed)
    with force_locale("en"):
        assert says in str(refused.value.message)


def test_phone_is_shown_in_groups_people_read_aloud():
    assert format_phone("0912345678") == "0912 345 678"


@pytest.mark.parametrize("pin", ["2580", "13579", "802461"])
def test_good_pins_are_accepted(pin):
    assert check_new_pin(pin) == pin


@pytest.mark.parametrize(
    ("pin", "says"),
    [("12", "4 to 6 digits"), ("1234567", "4 to 6 digits"), ("12a4", "4 to 6 digits"),
     ("1111", "too easy"), ("1234", "too easy"), ("98765", "too easy")],
)
def test_weak_or_malformed_pins_are_refused(pin, says, ctx):
    with pytest.raises(InputRefused) as refused:
        check_new_pin(pin)
    with force_locale("en"):
        assert says in str(refused.value.message)


def test_refusals_are_in_vietnamese_by_default(ctx):
    with pytest.raises(InputRefused) as refused:
        normalise_phone("12")
    assert "10 chữ số" in str(refused.value.message)
