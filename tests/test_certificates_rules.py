"""Certificate rules without a database: eligibility, codes, signatures, masked names."""
from __future__ import annotations

import pytest

from hue_literacy.certificates.eligibility import AssessmentResult, decide
from hue_literacy.certificates.services import format_serial, mask_name
from hue_literacy.certificates.signing import (
    CODE_ALPHABET,
    format_code,
    new_code,
    normalise_code,
    sign,
    signature_matches,
)

BASIC = ("QR-1", "PAY-1", "GOV-1", "SAFE-1", "SAFE-2")


def alone(*ids: str, assessor: int = 7, name: str = "Lê Văn Đại Sứ") -> list[AssessmentResult]:
    return [AssessmentResult(comp, "alone", assessor, name) for comp in ids]


def test_everything_mastered_and_done_alone_is_eligible():
    result = decide("basic", BASIC, set(BASIC), alone(*BASIC))
    assert result.eligible
    assert not result.close
    assert result.missing == ()
    assert result.assessor_ids == (7,)
    assert result.assessor_names == ("Lê Văn Đại Sứ",)


def test_mastered_but_never_assessed_is_not_eligible():
    result = decide("basic", BASIC, set(BASIC), [])
    assert not result.eligible
    assert result.not_assessed_alone == BASIC
    assert result.not_mastered == ()


def test_done_alone_but_not_mastered_in_practice_is_not_eligible():
    result = decide("basic", BASIC, {"QR-1", "GOV-1", "SAFE-1", "SAFE-2"}, alone(*BASIC))
    assert not result.eligible
    assert result.not_mastered == ("PAY-1",)
    assert result.close


@pytest.mark.parametrize("outcome", ["with_help", "not_yet", "ALONE", ""])
def test_only_a_latest_result_of_alone_counts(outcome):
    latest = alone("QR-1", "PAY-1", "GOV-1", "SAFE-1") + [
        AssessmentResult("SAFE-2", outcome, 7, "A")
    ]
    result = decide("basic", BASIC, set(BASIC), latest)
    assert not result.eligible
    assert result.not_assessed_alone == ("SAFE-2",)


def test_close_lists_exactly_what_is_missing_in_profile_order():
    result = decide("basic", BASIC, {"QR-1", "GOV-1", "SAFE-1", "SAFE-2"},
                    alone("QR-1", "PAY-1", "GOV-1", "SAFE-1"))
    assert result.close
    assert result.not_mastered == ("PAY-1",)
    assert result.not_assessed_alone == ("SAFE-2",)
    assert result.missing == ("PAY-1", "SAFE-2")


def test_three_competencies_missing_is_not_close():
    result = decide("basic", BASIC, {"QR-1", "GOV-1"}, alone("QR-1", "GOV-1"))
    assert not result.eligible
    assert not result.close
    assert result.missing == ("PAY-1", "SAFE-1", "SAFE-2")


def test_skills_outside_the_profile_neither_help_nor_hurt():
    mastered = set(BASIC) | {"GOV-2"}
    latest = alone(*BASIC) + [AssessmentResult("GOV-2", "not_yet", 9, "B")]
    result = decide("basic", BASIC, mastered, latest)
    assert result.eligible
    assert result.assessor_ids == (7,)


def test_a_learner_without_a_group_profile_is_never_eligible():
    for result in (decide(None, BASIC, set(BASIC), alone(*BASIC)),
                   decide("empty", (), set(BASIC), alone(*BASIC))):
        assert not result.eligible
        assert not result.close


def test_several_assessors_are_all_named_once():
    latest = alone("QR-1", "PAY-1", assessor=1, name="A") + alone(
        "GOV-1", "SAFE-1", "SAFE-2", assessor=2, name="B")
    result = decide("basic", BASIC, set(BASIC), {r.competency_id: r for r in latest})
    assert result.assessor_ids == (1, 2)
    assert result.assessor_names == ("A", "B")


def test_repeated_profile_ids_count_once():
    result = decide("basic", ("QR-1", "QR-1"), {"QR-1"}, alone("QR-1"))
    assert result.competency_ids == ("QR-1",)
    assert result.eligible


# --- codes, serials, signatures, names --------------------------------------------------


def test_codes_use_no_look_alike_characters():
    codes = {new_code() for _ in range(500)}
    assert len(codes) == 500
    for code in codes:
        assert len(code) == 8
        assert set(code) <= set(CODE_ALPHABET)
    assert not set("01OIL") & set(CODE_ALPHABET)


@pytest.mark.parametrize("typed", ["7KQM-4XRT", "7kqm4xrt", " 7kqm 4xrt ", "7KQM–4XRT",
                                   "7kqm_4XRT"])
def test_typed_codes_are_read_in_any_case_with_any_separator(typed):
    assert normalise_code(typed) == "7KQM4XRT"


@pytest.mark.parametrize("typed", ["", None, "7KQM-4XR", "7KQM-4XRTT", "7KQM-4XR0", "OKQM4XRT",
                                   "<script>", "7KQM-4XRT?"])
def test_things_that_are_not_codes_are_refused(typed):
    assert normalise_code(typed) is None


def test_codes_are_shown_in_two_groups():
    assert format_code("7KQM4XRT") == "7KQM-4XRT"


def test_serials_number_per_ward_and_year():
    assert format_serial("PHUXUAN", 2026, 123) == "HUE-PHUXUAN-2026-000123"


def test_a_signature_holds_only_for_its_serial_code_and_key():
    good = sign("HUE-PHUXUAN-2026-000001", "7KQM4XRT", "key")
    assert len(good) == 16
    assert signature_matches("HUE-PHUXUAN-2026-000001", "7KQM4XRT", good, "key")
    assert not signature_matches("HUE-PHUXUAN-2026-000002", "7KQM4XRT", good, "key")
    assert not signature_matches("HUE-PHUXUAN-2026-000001", "7KQM4XRU", good, "key")
    assert not signature_matches("HUE-PHUXUAN-2026-000001", "7KQM4XRT", good, "other key")
    assert not signature_matches("HUE-PHUXUAN-2026-000001", "7KQM4XRT", good[:-1] + "A", "key")
    assert not signature_matches("HUE-PHUXUAN-2026-000001", "7KQM4XRT", None, "key")
    assert not signature_matches("HUE-PHUXUAN-2026-000001", "7KQM4XRT", "", "key")


@pytest.mark.parametrize(("name", "masked"), [
    ("Nguyễn Thị Hoa", "N. T. H."),
    ("Tôn Nữ Ánh Nguyệt", "T. N. Á. N."),
    ("  Lê   văn  út ", "L. V. Ú."),
    ("Đặng", "Đ."),
    ("Hoa", "H."),
    ("", ""),
    (None, ""),
])
def test_every_word_of_a_name_is_masked_to_its_initial(name, masked):
    assert mask_name(name) == masked


def test_names_typed_with_combining_accents_are_masked_by_their_letters():
    import unicodedata

    assert mask_name(unicodedata.normalize("NFD", "Lê Ánh Ðào")) == "L. Á. Ð."
