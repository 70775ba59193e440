"""Recordings for the narration tests: a real one from Chromium's fake microphone, and small
WebM and MP4 files built here with a chosen length (to test the limits without minutes of
audio)."""
from __future__ import annotations

import struct
from pathlib import Path

FAKE_DEVICE_WEBM = Path(__file__).parent / "data" / "narration-fake-device-2s.webm"


def real_webm() -> bytes:
    """2 s of Opus in WebM recorded by Chromium's MediaRecorder (fake device, 24 kbit/s)."""
    return FAKE_DEVICE_WEBM.read_bytes()


def _ebml_id(element: int) -> bytes:
    length = (element.bit_length() + 7) // 8
    return element.to_bytes(length, "big")


def _size(size: int | None) -> bytes:
    if size is None:
        return b"\x01\xff\xff\xff\xff\xff\xff\xff"  # unknown size, as a live recorder writes
    return (size | (1 << 56)).to_bytes(8, "big")


def el(element: int, payload: bytes | None = None, *children: bytes,
       unknown: bool = False) -> bytes:
    body = payload if payload is not None else b"".join(children)
    return _ebml_id(element) + _size(None if unknown else len(body)) + body


def webm(seconds: float, codec: str = "A_OPUS", doc_type: str = "webm",
         track_type: int = 2) -> bytes:
    """A WebM with one audio track and blocks every second up to `seconds` (no Duration)."""
    header = el(0x1A45DFA3, None, el(0x4282, doc_type.encode()))
    info = el(0x1549A966, None, el(0x2AD7B1, (1_000_000).to_bytes(3, "big")))
    tracks = el(0x1654AE6B, None, el(0xAE, None, el(0xD7, b"\x01"),
                                      el(0x83, bytes([track_type])),
                                      el(0x86, codec.encode())))
    clusters = b""
    millis = 0
    while millis <= seconds * 1000:
        block = b"\x81" + struct.pack(">h", 0) + b"\x80" + b"\xfc" * 40
        clusters += el(0x1F43B675, None, el(0xE7, millis.to_bytes(4, "big")),
                       el(0xA3, block), unknown=True)
        millis += 1000
    segment_body = info + tracks + clusters
    return header + _ebml_id(0x18538067) + _size(None) + segment_body


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def mp4_audio(seconds: float, handler: bytes = b"soun") -> bytes:
    """An MP4 (M4A) with one AAC track of `seconds` (mdhd), enough for mutagen to read."""
    timescale = 44100
    mdhd = _box(b"mdhd", b"\0" * 4 + b"\0" * 8 + struct.pack(">2I", timescale,
                                                             int(seconds * timescale)) + b"\0" * 4)
    hdlr = _box(b"hdlr", b"\0" * 8 + handler + b"\0" * 12 + b"\0")
    esds = _box(b"esds", b"\0" * 4 + bytes.fromhex("03190000000411400000000000000000000000"
                                                   "0502121006010102"))
    mp4a = _box(b"mp4a", b"\0" * 6 + b"\0\x01" + b"\0" * 8 + struct.pack(">HH", 1, 16)
                + b"\0" * 4 + struct.pack(">I", timescale << 16) + esds)
    stsd = _box(b"stsd", b"\0" * 4 + struct.pack(">I", 1) + mp4a)
    trak = _box(b"trak", _box(b"mdia", mdhd + hdlr + _box(b"minf", _box(b"stbl", stsd))))
    mvhd = _box(b"mvhd", b"\0" * 12 + struct.pack(">2I", 1000, int(seconds * 1000))
                + b"\0" * 80)
    return _box(b"ftyp", b"M4A \0\0\0\0M4A isom") + _box(b"moov", mvhd + trak)
