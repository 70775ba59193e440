"""What an uploaded recording really is: its container (from the magic bytes), codec and length.

Browsers record Opus in WebM (Chrome, Firefox, Android) or AAC in MP4 (Safari). mutagen reads
MP4 but not WebM/Matroska, and ffprobe is not installed on a ward PC, so WebM is read here: the
EBML header's DocType, the audio track's codec, and the time of the last audio block. A live
MediaRecorder file has no Duration field and clusters of unknown size, so the blocks' times are
what counts. An MP4 without a duration (a fragmented one) is limited by its size instead.
"""
from __future__ import annotations

import io
import re
import struct
from dataclasses import dataclass

EBML = 0x1A45DFA3
DOC_TYPE = 0x4282
SEGMENT = 0x18538067
INFO = 0x1549A966
TIMECODE_SCALE = 0x2AD7B1
DURATION = 0x4489
TRACKS = 0x1654AE6B
TRACK_ENTRY = 0xAE
TRACK_TYPE = 0x83
CODEC_ID = 0x86
CLUSTER = 0x1F43B675
TIMECODE = 0xE7
SIMPLE_BLOCK = 0xA3
BLOCK_GROUP = 0xA0
BLOCK = 0xA1
# Masters whose children are read in line (a flat walk handles unknown sizes too).
MASTERS = {EBML, SEGMENT, INFO, TRACKS, TRACK_ENTRY, CLUSTER, BLOCK_GROUP}
AUDIO_TRACK, VIDEO_TRACK = 2, 1


class MediaRefused(ValueError):
    """An upload that is not a recording we can play; `code` names the reason for the page."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class AudioFacts:
    mime: str
    codec: str
    duration_ms: int | None  # None: the file does not say (a fragmented MP4)


def sniff(data: bytes) -> AudioFacts:
    """Read the container from the bytes themselves (never trust the browser's type)."""
    if data[:4] == struct.pack(">I", EBML):
        return _webm(data)
    if data[4:8] == b"ftyp":
        return _mp4(data)
    raise MediaRefused("not_audio")


def _vint(data: bytes, pos: int, keep_marker: bool) -> tuple[int, int, bool]:
    """An EBML variable-length integer: (value, new position, all ones = unknown size)."""
    if pos >= len(data):
        raise MediaRefused("damaged")
    first = data[pos]
    length = 1
    while length <= 8 and not first & (0x80 >> (length - 1)):
        length += 1
    if length > 8 or pos + length > len(data):
        raise MediaRefused("damaged")
    value = first if keep_marker else first & (0xFF >> length)
    for byte in data[pos + 1:pos + length]:
        value = (value << 8) | byte
    unknown = not keep_marker and value == (1 << (7 * length)) - 1
    return value, pos + length, unknown


def _uint(payload: bytes) -> int:
    return int.from_bytes(payload, "big") if payload else 0


def _webm(data: bytes) -> AudioFacts:
    doc_type = codec = None
    scale = 1_000_000  # ns per tick, Matroska's default
    duration_ticks = 0.0
    cluster_time = 0
    last_block = 0
    track_types: list[int] = []
    pos = 0
    while pos < len(data):
        element, pos, _ = _vint(data, pos, keep_marker=True)
        size, pos, unknown = _vint(data, pos, keep_marker=False)
        if element in MASTERS:
            continue  # read its children next, whatever its size says
        if unknown:
            raise MediaRefused("damaged")
        end = pos + size
        payload = data[pos:min(end, len(data))]
        if element == DOC_TYPE:
            doc_type = payload.decode("ascii", "replace")
        elif element == CODEC_ID:
            codec = payload.decode("ascii", "replace")
        elif element == TRACK_TYPE:
            track_types.append(_uint(payload))
        elif element == TIMECODE_SCALE:
            scale = _uint(payload) or scale
        elif element == DURATION and len(payload) in (4, 8):
            duration_ticks = struct.unpack(">f" if len(payload) == 4 else ">d", payload)[0]
        elif element == TIMECODE:
            cluster_time = _uint(payload)
        elif element in (SIMPLE_BLOCK, BLOCK) and len(payload) >= 4:
            _track, after, _ = _vint(payload, 0, keep_marker=False)
            if after + 2 <= len(payload):
                relative = struct.unpack(">h", payload[after:after + 2])[0]
                last_block = max(last_block, cluster_time + relative)
        pos = end
    if doc_type != "webm":
        raise MediaRefused("not_audio")
    if VIDEO_TRACK in track_types or AUDIO_TRACK not in track_types:
        raise MediaRefused("not_audio")
    if codec != "A_OPUS":
        raise MediaRefused("codec")
    ticks = max(duration_ticks, float(last_block))
    return AudioFacts("audio/webm", "opus", round(ticks * scale / 1_000_000))


def _mp4(data: bytes) -> AudioFacts:
    from mutagen import MutagenError
    from mutagen.mp4 import MP4

    try:
        info = MP4(io.BytesIO(data)).info
    except (MutagenError, struct.error, ValueError, IndexError):
        raise MediaRefused("damaged") from None
    if re.search(rb"hdlr.{8}vide", data, re.DOTALL):
        raise MediaRefused("not_audio")  # a video: refused even when it also has sound
    codec = getattr(info, "codec", "") or ""
    if not codec.startswith("mp4a"):
        raise MediaRefused("codec")
    length = float(getattr(info, "length", 0) or 0)
    return AudioFacts("audio/mp4", "aac", round(length * 1000) if length > 0 else None)
