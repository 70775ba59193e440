"""A search by name ignores accents and case exactly as a person reading the names would."""
from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from hue_literacy.households.text import fold


def decomposed_fold(text: str) -> str:
    """The definition: decompose, drop the combining marks, đ as d, lower case."""
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return " ".join(plain.casefold().split())


def test_vietnamese_names_fold_to_plain_letters():
    assert fold("Nguyễn Đình Tráng") == "nguyen dinh trang"
    assert fold("  TRẦN   thị  Ánh ") == "tran thi anh"
    assert fold(unicodedata.normalize("NFD", "Võ Thị Tám")) == "vo thi tam"
    assert fold(None) == ""


@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x1EFF)))
def test_fold_agrees_with_the_definition_on_any_text(text):
    assert fold(unicodedata.normalize("NFC", text)) == decomposed_fold(
        unicodedata.normalize("NFC", text))
