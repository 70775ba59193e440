"""VietQR payloads: CRC, TLV, building, parsing and the practice safety rules."""
from __future__ import annotations

import ast
import binascii
import contextlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hue_literacy import vietqr
from hue_literacy.vietqr import (
    PRACTICE_BANK_BIN,
    PRACTICE_MARKER,
    PURPOSE_MAX_LENGTH,
    VietQrInfo,
    ascii_purpose,
    build_practice_vietqr,
    build_vietqr,
    crc16_ccitt_false,
    is_practice_payload,
    parse_tlv,
    parse_vietqr,
    tlv,
    verify_crc,
)

# Static QR to Vietcombank (BIN 970436), account 0011001932418, everything before the CRC.
VCB_STATIC_BODY = (
    "00020101021138570010A00000072701270006970436011300110019324180208QRIBFTTA"
    "53037045802VN6304"
)
VCB_STATIC = VCB_STATIC_BODY + "E0BB"

# Payloads published by two independent open-source generators, with their CRCs:
# subiz/vietqr (Go; README and vietqr_test.go) and vietnam-qr-pay (npm; README).
PUBLISHED = [
    pytest.param(
        ("970423", "0099999999", None, None),
        "00020101021138540010A00000072701240006970423011000999999990208QRIBFTTA"
        "53037045802VN6304CBB4",
        id="subiz-static",
    ),
    pytest.param(
        ("970422", "0023457923442", 40123, "test text string"),
        "00020101021238570010A00000072701270006970422011300234579234420208QRIBFTTA"
        "53037045405401235802VN62200816test text string6304D9C6",
        id="subiz-dynamic",
    ),
    pytest.param(
        ("970422", "0023457923442", 40123, "chuyển khoản"),
        "00020101021238570010A00000072701270006970422011300234579234420208QRIBFTTA"
        "53037045405401235802VN62160812chuyen khoan6304722F",
        id="subiz-diacritics",
    ),
    pytest.param(
        ("970415", "0011001932418", 120000, "ủng hộ lũ lụt"),
        "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA"
        "530370454061200005802VN62170813ung ho lu lut6304C15C",
        id="subiz-readme",
    ),
    pytest.param(
        ("970416", "257678859", None, None),
        "00020101021138530010A0000007270123000697041601092576788590208QRIBFTTA"
        "53037045802VN6304AE9F",
        id="vietnam-qr-pay-static",
    ),
    pytest.param(
        ("970416", "257678859", 10000, "Chuyen tien"),
        "00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA"
        "53037045405100005802VN62150811Chuyen tien630453E6",
        id="vietnam-qr-pay-dynamic",
    ),
]

# BINs real banks and wallets use in the NAPAS/VietQR list, inside and outside 970xxx.
REAL_BINS = {
    "970436", "970415", "970418", "970405", "970407", "970422", "970403", "970416",
    "971005", "971011", "971025", "971133", "963388", "977777", "999888", "668888",
    "796500", "801011", "422589", "458761", "533948", "546034", "546035",
}

PRINTABLE_ASCII = "".join(chr(c) for c in range(0x20, 0x7F))


def with_crc(body: str) -> str:
    """Close a hand-written payload body with 6304 and its correct CRC."""
    body += "6304"
    return f"{body}{crc16_ccitt_false(body.encode('ascii')):04X}"


def merchant(
    bank_bin: str = "970436",
    account: str = "0123456789",
    guid: str = "A000000727",
    service: str = "QRIBFTTA",
) -> str:
    """Field 38 with the given parts, valid unless a part is bad."""
    beneficiary = tlv("00", bank_bin) + tlv("01", account)
    return tlv("38", tlv("00", guid) + tlv("01", beneficiary) + tlv("02", service))


# --- CRC ------------------------------------------------------------------------------------


def test_crc_matches_the_standard_check_value():
    assert crc16_ccitt_false(b"123456789") == 0x29B1
    assert crc16_ccitt_false(b"") == 0xFFFF


@given(st.binary(max_size=200))
def test_crc_agrees_with_the_standard_library(data):
    assert crc16_ccitt_false(data) == binascii.crc_hqx(data, 0xFFFF)


# --- TLV ------------------------------------------------------------------------------------


def test_tlv_writes_a_two_digit_length():
    assert tlv("00", "01") == "000201"
    assert tlv("62", "x" * 10) == "6210" + "x" * 10
    assert tlv("38", "y" * 99).startswith("3899")


@pytest.mark.parametrize(
    ("tag", "value", "message"),
    [
        ("62", "x" * 100, "1 to 99"),
        ("62", "", "1 to 99"),
        ("6", "x", "two digits"),
        ("A1", "x", "two digits"),
    ],
)
def test_tlv_refuses_bad_fields(tag, value, message):
    with pytest.raises(ValueError, match=message):
        tlv(tag, value)


def test_parse_tlv_keeps_the_order_of_fields():
    fields = parse_tlv(tlv("00", "01") + tlv("62", tlv("08", "rau")) + tlv("53", "704"))
    assert list(fields.items()) == [("00", "01"), ("62", "0803rau"), ("53", "704")]


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("000", "cut short"),
        ("0002010", "cut short"),
        ("000501", "says 5 characters but only 2 remain"),
        ("00x201", "length of field 00 must be two digits"),
        ("0A0201", "field ID at position 0 must be two digits"),
        ("0002010002AB", "appears twice"),
    ],
)
def test_parse_tlv_explains_malformed_data(payload, message):
    with pytest.raises(ValueError, match=message):
        parse_tlv(payload)


# --- known payloads -------------------------------------------------------------------------


def test_static_payload_matches_the_known_vector():
    payload = build_vietqr("970436", "0011001932418")
    assert payload == VCB_STATIC
    assert payload[:-4] == VCB_STATIC_BODY
    assert f"{binascii.crc_hqx(VCB_STATIC_BODY.encode(), 0xFFFF):04X}" == "E0BB"
    assert verify_crc(payload)


def test_any_one_character_change_breaks_the_crc():
    for i, char in enumerate(VCB_STATIC):
        for other in ("0", "7", "A", "F"):
            if other != char:
                changed = VCB_STATIC[:i] + other + VCB_STATIC[i + 1 :]
                assert not verify_crc(changed), (i, other)


def test_verify_crc_refuses_lowercase_missing_or_foreign_checksums():
    assert not verify_crc(VCB_STATIC_BODY + "e0bb")
    assert not verify_crc(VCB_STATIC_BODY)
    assert not verify_crc(VCB_STATIC[:-8] + "6305E0BB")
    assert not verify_crc("")
    assert not verify_crc("Trả tiền" + VCB_STATIC)


@pytest.mark.parametrize(("args", "expected"), PUBLISHED)
def test_payloads_match_independent_generators(args, expected):
    bank_bin, account, amount, purpose = args
    if purpose is not None:
        purpose = ascii_purpose(purpose)
    assert build_vietqr(bank_bin, account, amount, purpose) == expected
    assert verify_crc(expected)


def test_dynamic_payload_round_trips_field_by_field():
    payload = build_vietqr("970436", "0011001932418", amount=50000, purpose="thanh toan")
    fields = parse_tlv(payload)
    assert list(fields) == ["00", "01", "38", "53", "54", "58", "62", "63"]
    assert fields["00"] == "01"
    assert fields["01"] == "12"
    assert fields["38"] == "0010A00000072701270006970436011300110019324180208QRIBFTTA"
    assert fields["53"] == "704"
    assert fields["54"] == "50000"
    assert fields["58"] == "VN"
    assert fields["62"] == "0810thanh toan"
    assert verify_crc(payload)
    assert parse_vietqr(payload) == VietQrInfo(
        bank_bin="970436",
        account="0011001932418",
        amount=50000,
        purpose="thanh toan",
        service="QRIBFTTA",
        is_dynamic=True,
        crc_ok=True,
    )


def test_static_payload_parses_without_amount_or_purpose():
    info = parse_vietqr(VCB_STATIC)
    assert (info.amount, info.purpose, info.is_dynamic) == (None, None, False)
    assert parse_tlv(VCB_STATIC)["01"] == "11"


def test_card_service_is_written_and_read():
    payload = build_vietqr("970436", "9704360000000000", service="QRIBFTTC")
    assert "0208QRIBFTTC" in payload
    assert parse_vietqr(payload).service == "QRIBFTTC"


# --- diacritics -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Trả tiền rau", "Tra tien rau"),
        ("Đường Đinh Tiên Hoàng, Huế", "Duong Dinh Tien Hoang, Hue"),
        ("bún bò đặc biệt", "bun bo dac biet"),
        ("Ư Ơ Ă Â Ê Ô ư ơ ă â ê ô", "U O A A E O u o a a e o"),
        ("  trả\ttiền\n  cá  ", "tra tien ca"),
        ("45.000 ₫ 🙂 nhé", "45.000 nhe"),
    ],
)
def test_ascii_purpose_strips_vietnamese_diacritics(text, expected):
    assert ascii_purpose(text) == expected


@given(st.text())
def test_ascii_purpose_always_gives_printable_ascii(text):
    assert all(ch in PRINTABLE_ASCII for ch in ascii_purpose(text))


# --- input checks ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"bank_bin": "97043"}, "BIN must be exactly 6 digits"),
        ({"bank_bin": "97043A"}, "BIN must be exactly 6 digits"),
        ({"bank_bin": "９７０４３６"}, "BIN must be exactly 6 digits"),
        ({"account": ""}, "account number must be 1 to 19 digits"),
        ({"account": "1" * 20}, "account number must be 1 to 19 digits"),
        ({"account": "0123-456"}, "account number must be 1 to 19 digits"),
        ({"amount": 0}, "positive whole number"),
        ({"amount": -5000}, "positive whole number"),
        ({"amount": 10**13}, "at most 13 digits"),
        ({"amount": 50000.0}, "positive whole number"),
        ({"amount": True}, "positive whole number"),
        ({"amount": "50000"}, "positive whole number"),
        ({"purpose": "Trả tiền rau"}, "printable ASCII"),
        ({"purpose": "line\nbreak"}, "printable ASCII"),
        ({"purpose": "x" * (PURPOSE_MAX_LENGTH + 1)}, "1 to 25 characters"),
        ({"purpose": ""}, "1 to 25 characters"),
        ({"service": "QRPUSH"}, "service code must be one of"),
    ],
)
def test_build_vietqr_refuses_bad_input(kwargs, message):
    args = {"bank_bin": "970436", "account": "0123456789"} | kwargs
    with pytest.raises(ValueError, match=message):
        build_vietqr(**args)


def test_largest_amount_and_longest_fields_still_fit():
    payload = build_vietqr("970436", "9" * 19, amount=10**13 - 1, purpose="x" * 25)
    info = parse_vietqr(payload)
    assert (info.account, info.amount, info.purpose) == ("9" * 19, 10**13 - 1, "x" * 25)


# --- malformed payloads ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("", "empty"),
        (VCB_STATIC[:-10], "cut short"),
        (VCB_STATIC[:40], "cut short"),
        (VCB_STATIC.replace("5802VN", "5812VN"), "field 58 says 12 characters but only 10"),
        (VCB_STATIC.replace("5303704", "5304704"), "must be two digits"),
        (VCB_STATIC.replace("5802VN", "58x2VN"), "length of field 58 must be two digits"),
        (VCB_STATIC[:-1] + "C", "CRC check failed: the payload says 'E0BC', its data gives E0BB"),
        (VCB_STATIC[:-8], "must end with the CRC field"),
        (VCB_STATIC + "6404abcd", "must end with the CRC field"),
        (VCB_STATIC[:-4] + "e0bb", "CRC check failed"),
        ("Trả" + VCB_STATIC, "printable ASCII"),
        (VCB_STATIC + "\n", "printable ASCII"),
    ],
)
def test_parse_vietqr_explains_malformed_payloads(payload, message):
    with pytest.raises(ValueError, match=message):
        parse_vietqr(payload)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("000202" + "010211" + merchant() + "5303704" + "5802VN", "field 00 = 01"),
        ("010211" + "000201" + merchant() + "5303704" + "5802VN", "start with field 00"),
        ("000201" + "010213" + merchant() + "5303704" + "5802VN", "field 01 .* 11 or 12"),
        ("000201" + merchant() + "5303704" + "5802VN", "field 01 .* 11 or 12"),
        ("000201" + "010211" + "5303704" + "5802VN", "field 38 .* missing"),
        ("000201" + "010211" + merchant() + "5303840" + "5802VN", "704"),
        ("000201" + "010211" + merchant() + "5303704" + "5802TH", "VN"),
        ("000201" + "010211" + merchant(guid="A000000677") + "5303704" + "5802VN", "GUID"),
        ("000201" + "010211" + merchant(bank_bin="97043") + "5303704" + "5802VN", "BIN"),
        ("000201" + "010211" + merchant(account="99MM24") + "5303704" + "5802VN", "account"),
        ("000201" + "010211" + merchant(service="QRPUSH") + "5303704" + "5802VN", "service"),
        ("000201" + "010211" + "3805" + "00A00" + "5303704" + "5802VN", "inside field 38"),
        ("000201" + "010212" + merchant() + "5303704" + "540550.00" + "5802VN", "field 54"),
        ("000201" + "010212" + merchant() + "5303704" + "540505000" + "5802VN", "field 54"),
        ("000201" + "010212" + merchant() + "5303704" + "54010" + "5802VN", "field 54"),
        ("000201" + "010211" + merchant() + "5303704" + "5802VN" + "62050802x", "inside field 62"),
        ("000201" + "010211" + merchant() + "5303704" + "5802VN" + "6230" + "0826" + "x" * 26,
         "1 to 25"),
    ],
)
def test_parse_vietqr_explains_payloads_that_are_not_vietqr(body, message):
    with pytest.raises(ValueError, match=message):
        parse_vietqr(with_crc(body))


def test_parse_vietqr_ignores_optional_fields_it_does_not_show():
    additional = tlv("62", tlv("01", "HD42") + tlv("08", "rau"))
    body = ("000201" + "010211" + merchant() + "52045812" + "5303704" + "5802VN"
            + tlv("59", "NGUYEN THI LAN") + additional)
    info = parse_vietqr(with_crc(body))
    assert (info.account, info.purpose) == ("0123456789", "rau")


@given(st.text(alphabet=PRINTABLE_ASCII + "ảđ\n", max_size=120))
def test_parse_vietqr_only_ever_raises_value_error(text):
    for payload in (text, with_crc(text) if text.isascii() else text):
        with contextlib.suppress(ValueError):
            parse_vietqr(payload)


# --- practice safety ------------------------------------------------------------------------


def test_practice_bin_belongs_to_no_bank():
    assert len(PRACTICE_BANK_BIN) == 6 and PRACTICE_BANK_BIN.isdigit()
    assert PRACTICE_BANK_BIN not in REAL_BINS
    assert not PRACTICE_BANK_BIN.startswith(("97", "96", "99", "4", "5"))


def test_practice_payload_uses_the_practice_bin_and_marker():
    payload = build_practice_vietqr("0123456789", "NGUYEN THI LAN", purpose="Tra tien rau")
    info = parse_vietqr(payload)
    assert info.bank_bin == PRACTICE_BANK_BIN
    assert info.purpose == "TAP DUOT Tra tien rau"
    assert info.amount is None and not info.is_dynamic
    assert is_practice_payload(payload)


def test_practice_payload_with_amount_is_dynamic():
    payload = build_practice_vietqr("0987654321", "TRAN THI HOA", 45000, "Tra tien ca")
    info = parse_vietqr(payload)
    assert (info.amount, info.is_dynamic, info.purpose) == (45000, True, "TAP DUOT Tra tien ca")


def test_practice_purpose_is_marked_when_the_lesson_gives_none():
    payload = build_practice_vietqr("0123456789", "NGUYEN THI LAN")
    assert parse_vietqr(payload).purpose == PRACTICE_MARKER
    assert is_practice_payload(payload)


def test_long_purpose_with_diacritics_keeps_the_marker_and_whole_words():
    long_text = "Trả tiền điện nước tháng mười hai cho bà Nguyễn Thị Lan ở Đông Ba"
    info = parse_vietqr(build_practice_vietqr("0123456789", "NGUYEN THI LAN", purpose=long_text))
    assert info.purpose == "TAP DUOT Tra tien dien"
    assert len(info.purpose) <= PURPOSE_MAX_LENGTH


def test_practice_payload_needs_the_account_name():
    with pytest.raises(ValueError, match="account name"):
        build_practice_vietqr("0123456789", "  ")


@given(
    account=st.from_regex(r"[0-9]{1,19}", fullmatch=True),
    amount=st.none() | st.integers(min_value=1, max_value=10**13 - 1),
    purpose=st.none() | st.text(max_size=80),
)
def test_every_practice_payload_is_marked_and_unpayable(account, amount, purpose):
    payload = build_practice_vietqr(account, "LE VAN TAM", amount, purpose)
    info = parse_vietqr(payload)
    assert info.bank_bin == PRACTICE_BANK_BIN
    assert info.purpose is not None and info.purpose.startswith(PRACTICE_MARKER)
    assert len(info.purpose) <= PURPOSE_MAX_LENGTH
    assert is_practice_payload(payload)


@pytest.mark.parametrize(
    "payload",
    [
        VCB_STATIC,
        build_vietqr("970436", "0123456789", purpose="TAP DUOT Tra tien rau"),
        build_vietqr(PRACTICE_BANK_BIN, "0123456789", purpose="Tra tien rau"),
        build_vietqr(PRACTICE_BANK_BIN, "0123456789", purpose="TAP DUOTX"),
        build_vietqr(PRACTICE_BANK_BIN, "0123456789"),
        build_practice_vietqr("0123456789", "NGUYEN THI LAN")[:-1] + "0",
        "http://nhan-qua-tet.example/x",
        "",
    ],
    ids=["real-bank", "real-bin-marked", "unmarked", "marker-prefix-only", "no-purpose",
         "bad-crc", "link", "empty"],
)
def test_other_payloads_are_not_practice(payload):
    assert not is_practice_payload(payload)


# --- round trip -----------------------------------------------------------------------------


@given(
    bank_bin=st.from_regex(r"[0-9]{6}", fullmatch=True),
    account=st.from_regex(r"[0-9]{1,19}", fullmatch=True),
    amount=st.none() | st.integers(min_value=1, max_value=10**13 - 1),
    purpose=st.none() | st.text(alphabet=PRINTABLE_ASCII, min_size=1, max_size=25),
    service=st.sampled_from(["QRIBFTTA", "QRIBFTTC"]),
)
def test_build_and_parse_round_trip(bank_bin, account, amount, purpose, service):
    payload = build_vietqr(bank_bin, account, amount, purpose, service)
    assert verify_crc(payload)
    assert parse_vietqr(payload) == VietQrInfo(
        bank_bin=bank_bin,
        account=account,
        amount=amount,
        purpose=purpose,
        service=service,
        is_dynamic=amount is not None,
        crc_ok=True,
    )
    assert parse_tlv(payload)["01"] == ("11" if amount is None else "12")


def test_module_does_not_import_flask():
    tree = ast.parse(Path(vietqr.__file__).read_text(encoding="utf-8"))
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {
        (node.module or "").split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
    }
    assert imported <= {"__future__", "dataclasses", "re", "unicodedata"}
