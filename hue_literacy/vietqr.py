"""VietQR payloads (the NAPAS profile of the EMVCo merchant-presented QR), built and read.

Pure functions, no Flask: the lesson player asks for a practice payload and draws it with
``hue_literacy.qr``; the app's own scanner reads a payload back with :func:`parse_vietqr` and
shows the simulated "bank app" screen.

A payload is a chain of ID-length-value fields (two-digit ID, two-digit length, value):
``00`` format ``01``; ``01`` initiation ``11`` (static) or ``12`` (dynamic, with amount);
``38`` merchant account (``00`` GUID ``A000000727``, ``01`` beneficiary = ``00`` bank BIN +
``01`` account number, ``02`` service code); ``53`` currency ``704``; ``54`` amount;
``58`` country ``VN``; ``62`` additional data (``08`` purpose); and last ``6304`` followed by
the CRC-16/CCITT-FALSE of everything before it, as four upper-case hex digits.

Practice safety. A practice payload is built with :data:`PRACTICE_BANK_BIN` ("000000") and a
purpose that starts with :data:`PRACTICE_MARKER` ("TAP DUOT", "tập dượt": rehearsal), so a
real bank app that scans it finds no bank to route to, and anyone reading it sees it is
practice. Why "000000": real VietQR acquirer BINs are not only 970xxx. The NAPAS/VietQR bank
list also holds 971xxx (e-wallets: Viettel Money 971005, VNPT Money 971011, MoMo 971025),
963388 (Timo), 977777 (Mirae Asset), 999888 (Bank for Social Policies, VBSP), 668888 (KBank),
796500 (DBS), 801011 (Nonghyup) and card-range BINs 4xxxxx/5xxxxx (CIMB 422589, HSBC 458761,
Citibank 533948, CAKE 546034). So "999999" sits next to a real bank (VBSP 999888) and in a
range NAPAS does assign. "000000" is outside every range in the list, and in ISO/IEC 7812 a
leading 0 is not a card-issuer industry (1-9 are), so no bank is issued it.

The account holder's NAME is not part of a VietQR payload: a real bank app looks it up from
the BIN and account number. The practice bank app cannot look anything up, so it shows the
name from the lesson data (``qr.name`` of a ``scan`` step); :func:`build_practice_vietqr` takes
the name only to check that the lesson gives one.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

PAYLOAD_FORMAT = "01"
STATIC = "11"
DYNAMIC = "12"
NAPAS_GUID = "A000000727"
SERVICE_TO_ACCOUNT = "QRIBFTTA"
SERVICE_TO_CARD = "QRIBFTTC"
SERVICES = (SERVICE_TO_ACCOUNT, SERVICE_TO_CARD)
CURRENCY_VND = "704"
COUNTRY_VN = "VN"
CRC_PREFIX = "6304"

ACCOUNT_MAX_LENGTH = 19
AMOUNT_MAX_DIGITS = 13
PURPOSE_MAX_LENGTH = 25
"""EMVCo MPM and the NAPAS VietQR spec give ID 62-08 (purpose) "ans, var. up to 25"."""

PRACTICE_BANK_BIN = "000000"
"""A BIN no bank holds: outside 970xxx/971xxx/9xxxxx and the 4xxxxx/5xxxxx card ranges."""
PRACTICE_MARKER = "TAP DUOT"
"""Starts every practice purpose: "tập dượt" (rehearsal) without diacritics."""

_DIGITS = re.compile(r"[0-9]+")
_HEX4 = re.compile(r"[0-9A-F]{4}")
_AMOUNT = re.compile(r"[1-9][0-9]*")


@dataclass(frozen=True)
class VietQrInfo:
    """What the simulated bank app shows after a scan."""

    bank_bin: str
    account: str
    amount: int | None
    purpose: str | None
    service: str
    is_dynamic: bool
    crc_ok: bool  # always True on a returned value: a bad CRC raises ValueError


def crc16_ccitt_false(data: bytes) -> int:
    """Return the CRC-16/CCITT-FALSE of data (poly 0x1021, init 0xFFFF, no reflection)."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return crc


def tlv(tag: str, value: str) -> str:
    """Encode one field as ID + two-digit length + value."""
    if not _is_digits(tag) or len(tag) != 2:
        raise ValueError(f"field ID must be two digits, got {tag!r}")
    if not 1 <= len(value) <= 99:
        raise ValueError(f"field {tag} must hold 1 to 99 characters, got {len(value)}")
    return f"{tag}{len(value):02d}{value}"


def parse_tlv(payload: str) -> dict[str, str]:
    """Split ID-length-value fields into an ordered dict, checking every length."""
    fields: dict[str, str] = {}
    pos = 0
    while pos < len(payload):
        header = payload[pos : pos + 4]
        if len(header) < 4:
            raise ValueError(
                f"data is cut short at position {pos}: expected a two-digit ID and a "
                f"two-digit length, found {header!r}"
            )
        tag, length_text = header[:2], header[2:]
        if not _is_digits(tag):
            raise ValueError(f"field ID at position {pos} must be two digits, got {tag!r}")
        if not _is_digits(length_text):
            raise ValueError(f"length of field {tag} must be two digits, got {length_text!r}")
        start = pos + 4
        end = start + int(length_text)
        if end > len(payload):
            raise ValueError(
                f"field {tag} says {int(length_text)} characters but only "
                f"{len(payload) - start} remain: the data is cut short or a length is wrong"
            )
        if tag in fields:
            raise ValueError(f"field {tag} appears twice")
        fields[tag] = payload[start:end]
        pos = end
    return fields


def verify_crc(payload: str) -> bool:
    """Tell whether payload ends in 6304 + the right CRC in four upper-case hex digits."""
    if not isinstance(payload, str) or not payload.isascii() or len(payload) < 8:
        return False
    body, crc_text = payload[:-4], payload[-4:]
    if not body.endswith(CRC_PREFIX) or not _HEX4.fullmatch(crc_text):
        return False
    return crc16_ccitt_false(body.encode("ascii")) == int(crc_text, 16)


def ascii_purpose(text: str) -> str:
    """Strip Vietnamese diacritics (đ→d, Đ→D), drop other non-ASCII, collapse whitespace."""
    text = " ".join(text.split()).replace("đ", "d").replace("Đ", "D").replace("Ð", "D")
    decomposed = unicodedata.normalize("NFD", text)
    kept = "".join(ch for ch in decomposed if " " <= ch <= "~")
    return " ".join(kept.split())


def build_vietqr(
    bank_bin: str,
    account: str,
    amount: int | None = None,
    purpose: str | None = None,
    service: str = SERVICE_TO_ACCOUNT,
) -> str:
    """Build a VietQR payload; static without an amount, dynamic with one."""
    _check_bin(bank_bin)
    _check_account(account)
    _check_service(service)
    if amount is not None:
        _check_amount(amount)
    if purpose is not None:
        _check_purpose(purpose)

    beneficiary = tlv("00", bank_bin) + tlv("01", account)
    merchant = tlv("00", NAPAS_GUID) + tlv("01", beneficiary) + tlv("02", service)
    parts = [
        tlv("00", PAYLOAD_FORMAT),
        tlv("01", STATIC if amount is None else DYNAMIC),
        tlv("38", merchant),
        tlv("53", CURRENCY_VND),
    ]
    if amount is not None:
        parts.append(tlv("54", str(amount)))
    parts.append(tlv("58", COUNTRY_VN))
    if purpose is not None:
        parts.append(tlv("62", tlv("08", purpose)))
    body = "".join(parts) + CRC_PREFIX
    return f"{body}{crc16_ccitt_false(body.encode('ascii')):04X}"


def parse_vietqr(payload: str) -> VietQrInfo:
    """Read a VietQR payload, raising ValueError on anything malformed or a bad CRC."""
    if not isinstance(payload, str) or not payload:
        raise ValueError("the VietQR payload is empty")
    if not payload.isascii() or not payload.isprintable():
        raise ValueError("a VietQR payload holds printable ASCII characters only")
    fields = parse_tlv(payload)
    tags = list(fields)
    if tags[-1] != "63" or len(fields["63"]) != 4:
        raise ValueError("a VietQR payload must end with the CRC field: 6304 and 4 hex digits")
    if not verify_crc(payload):
        expected = crc16_ccitt_false(payload[:-4].encode("ascii"))
        raise ValueError(
            f"CRC check failed: the payload says {fields['63']!r}, its data gives {expected:04X}"
        )
    if tags[0] != "00" or fields["00"] != PAYLOAD_FORMAT:
        raise ValueError("a VietQR payload must start with field 00 = 01 (payload format)")
    initiation = fields.get("01")
    if initiation not in (STATIC, DYNAMIC):
        raise ValueError(f"field 01 (initiation) must be 11 or 12, got {initiation!r}")
    if fields.get("53") != CURRENCY_VND:
        raise ValueError(f"field 53 (currency) must be 704 (VND), got {fields.get('53')!r}")
    if fields.get("58") != COUNTRY_VN:
        raise ValueError(f"field 58 (country) must be VN, got {fields.get('58')!r}")
    if "38" not in fields:
        raise ValueError("field 38 (merchant account) is missing")

    merchant = _sub_fields(fields["38"], "38 (merchant account)")
    if merchant.get("00") != NAPAS_GUID:
        raise ValueError(f"field 38-00 must be the NAPAS GUID {NAPAS_GUID}")
    if "01" not in merchant:
        raise ValueError("field 38-01 (beneficiary) is missing")
    beneficiary = _sub_fields(merchant["01"], "38-01 (beneficiary)")
    bank_bin = beneficiary.get("00", "")
    account = beneficiary.get("01", "")
    service = merchant.get("02", "")
    _check_bin(bank_bin)
    _check_account(account)
    _check_service(service)

    amount = None
    if "54" in fields:
        if not _AMOUNT.fullmatch(fields["54"]) or len(fields["54"]) > AMOUNT_MAX_DIGITS:
            raise ValueError(
                f"field 54 (amount) must be a whole number of dong, 1 to {AMOUNT_MAX_DIGITS} "
                f"digits, got {fields['54']!r}"
            )
        amount = int(fields["54"])
    purpose = None
    if "62" in fields:
        purpose = _sub_fields(fields["62"], "62 (additional data)").get("08")
        if purpose is not None:
            _check_purpose(purpose)
    return VietQrInfo(
        bank_bin=bank_bin,
        account=account,
        amount=amount,
        purpose=purpose,
        service=service,
        is_dynamic=initiation == DYNAMIC,
        crc_ok=True,
    )


def practice_purpose(purpose: str | None) -> str:
    """Return the practice marker plus the lesson's purpose in ASCII, cut to fit."""
    rest = ascii_purpose(purpose or "")
    if not rest:
        return PRACTICE_MARKER
    room = PURPOSE_MAX_LENGTH - len(PRACTICE_MARKER) - 1
    if len(rest) > room:
        cut = rest[:room]
        if rest[room] != " " and " " in cut:
            cut = cut[: cut.rfind(" ")]  # do not end on half a word
        rest = cut.rstrip()
    return f"{PRACTICE_MARKER} {rest}"


def build_practice_vietqr(
    account: str, name: str, amount: int | None = None, purpose: str | None = None
) -> str:
    """Build a payload no real bank can pay: the practice BIN and a purpose marked practice."""
    if not isinstance(name, str) or not name.strip():
        raise ValueError("a practice VietQR needs the account name the practice bank app shows")
    return build_vietqr(PRACTICE_BANK_BIN, account, amount, practice_purpose(purpose))


def is_practice_payload(payload: str) -> bool:
    """Tell whether payload is a valid VietQR with the practice BIN and practice marker."""
    try:
        info = parse_vietqr(payload)
    except ValueError:
        return False
    purpose = info.purpose or ""
    return info.bank_bin == PRACTICE_BANK_BIN and (
        purpose == PRACTICE_MARKER or purpose.startswith(PRACTICE_MARKER + " ")
    )


def _is_digits(text: str) -> bool:
    return _DIGITS.fullmatch(text) is not None


def _sub_fields(value: str, where: str) -> dict[str, str]:
    try:
        return parse_tlv(value)
    except ValueError as error:
        raise ValueError(f"inside field {where}: {error}") from error


def _check_bin(bank_bin: str) -> None:
    if not isinstance(bank_bin, str) or len(bank_bin) != 6 or not _is_digits(bank_bin):
        raise ValueError(f"bank BIN must be exactly 6 digits, got {bank_bin!r}")


def _check_account(account: str) -> None:
    if (
        not isinstance(account, str)
        or not 1 <= len(account) <= ACCOUNT_MAX_LENGTH
        or not _is_digits(account)
    ):
        raise ValueError(
            f"account number must be 1 to {ACCOUNT_MAX_LENGTH} digits, got {account!r}"
        )


def _check_service(service: str) -> None:
    if service not in SERVICES:
        raise ValueError(f"service code must be one of {', '.join(SERVICES)}, got {service!r}")


def _check_amount(amount: int) -> None:
    if (
        isinstance(amount, bool)
        or not isinstance(amount, int)
        or not 0 < amount < 10**AMOUNT_MAX_DIGITS
    ):
        raise ValueError(
            f"amount must be a positive whole number of dong with at most "
            f"{AMOUNT_MAX_DIGITS} digits, got {amount!r}"
        )


def _check_purpose(purpose: str) -> None:
    if not isinstance(purpose, str) or not 1 <= len(purpose) <= PURPOSE_MAX_LENGTH:
        raise ValueError(
            f"purpose must be 1 to {PURPOSE_MAX_LENGTH} characters, got {purpose!r}"
        )
    if not all(" " <= ch <= "~" for ch in purpose):
        raise ValueError(
            f"purpose must be printable ASCII (use ascii_purpose() first), got {purpose!r}"
        )
