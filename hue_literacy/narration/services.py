"""Narration rules: check and store an upload, review it, tell what plays and what is missing.

Bitrate: browsers record Opus mono at 24 kbit/s (recorder.js asks for it): 180,000 bytes per
minute, about 3 kB a second. Opus is speech-grade from 16 kbit/s; 24 kbit/s keeps the
consonants of Hue's tones clear on a cheap phone's loudspeaker while a 20-second step stays
near 60 kB, so a whole lesson costs less than one photo. Safari records AAC in MP4, which
needs more (up to 128 kbit/s); the size limit allows for that.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from hue_literacy.content.model import Lesson
from hue_literacy.content.narration_files import NarrationFile
from hue_literacy.content.speech import step_speech_text, text_sha256
from hue_literacy.extensions import db
from hue_literacy.models_base import utcnow
from hue_literacy.narration.media import MediaRefused, sniff
from hue_literacy.narration.models import (
    APPROVED,
    PENDING,
    REJECTED,
    REPLACED,
    NarrationRecording,
)

BITRATE = 24_000
BYTES_PER_MINUTE = BITRATE * 60 // 8
MAX_SECONDS = 60
MIN_SECONDS = 0.5
# 60 s at 128 kbit/s, the AAC fallback's usual rate; an Opus minute is 180 kB. An MP4 that
# does not state its length (fragmented) is held to this size alone.
MAX_BYTES = MAX_SECONDS * 128_000 // 8


class RecordingRefused(ValueError):
    """An upload refused with a reason the page shows (`code`, with `values` for the text)."""

    def __init__(self, code: str, **values: object) -> None:
        super().__init__(code)
        self.code = code
        self.values = values


@dataclass
class StepNarration:
    """One step as the recording page shows it: its text and what was recorded for it."""

    step_id: str
    text: str
    text_hash: str
    recordings: list[NarrationRecording] = field(default_factory=list)
    shipped: NarrationFile | None = None

    def is_current(self, recording: NarrationRecording) -> bool:
        return recording.text_sha256 == self.text_hash

    @property
    def state(self) -> str:
        """approved, recorded (waiting for review), stale (only for an older text) or missing."""
        live = [r for r in self.recordings if r.status in (PENDING, APPROVED)]
        if any(r.status == APPROVED and self.is_current(r) for r in live) or (
                self.shipped is not None and not self.shipped.stale):
            return "approved"
        if any(self.is_current(r) for r in live):
            return "recorded"
        if live or self.shipped is not None:
            return "stale"
        return "missing"


def storage_folder(configured: str | None, instance_path: str) -> Path:
    return Path(configured) if configured else Path(instance_path) / "narration"


def lesson_narration(release, lang: str, lesson: Lesson,
                     uploads: bool = True) -> list[StepNarration]:
    """Every step of `lesson` with its narration text, recordings (newest first) and file."""
    rows = [] if not uploads else db.session.scalars(
        select(NarrationRecording)
        .where(NarrationRecording.lang == lang, NarrationRecording.lesson_id == lesson.id)
        .order_by(NarrationRecording.created_at.desc(), NarrationRecording.id.desc()))
    by_step: dict[str, list[NarrationRecording]] = {}
    for row in rows:
        by_step.setdefault(row.step_id, []).append(row)
    shipped = release.narration.get(lang, {})
    steps = []
    for step in lesson.steps:
        text = step_speech_text(step, lang)
        steps.append(StepNarration(step.id, text, text_sha256(text), by_step.get(step.id, []),
                                   shipped.get((lesson.id, step.id))))
    return steps


def save_recording(folder: Path, release, lang: str, lesson_id: str, step_id: str,
                   data: bytes, recorder, seen_text_hash: str | None = None,
                   now: datetime | None = None) -> NarrationRecording:
    """Check an upload (container from its bytes, codec, length, size) and store it."""
    lesson = release.lessons.get(lang, {}).get(lesson_id)
    step = lesson.step(step_id) if lesson else None
    if step is None:
        raise RecordingRefused("no_step")
    text_hash = text_sha256(step_speech_text(step, lang))
    if seen_text_hash and seen_text_hash != text_hash:
        raise RecordingRefused("text_changed")
    if len(data) > MAX_BYTES:
        raise RecordingRefused("too_big", size=len(data), limit=MAX_BYTES)
    try:
        facts = sniff(data)
    except MediaRefused as refused:
        raise RecordingRefused(refused.code) from None
    if facts.duration_ms is not None:
        if facts.duration_ms > MAX_SECONDS * 1000 + 500:
            raise RecordingRefused("too_long", seconds=round(facts.duration_ms / 1000),
                                   limit=MAX_SECONDS)
        if facts.duration_ms < MIN_SECONDS * 1000:
            raise RecordingRefused("too_short")
    digest = hashlib.sha256(data).hexdigest()
    existing = db.session.scalar(select(NarrationRecording).where(
        NarrationRecording.lang == lang, NarrationRecording.lesson_id == lesson_id,
        NarrationRecording.step_id == step_id, NarrationRecording.sha256 == digest))
    if existing is not None:
        return existing  # the same file sent twice (a retry) is stored once
    extension = "mp4" if facts.mime == "audio/mp4" else "webm"
    name = f"{lang}/{lesson_id}/{step_id}-{digest[:16]}.{extension}"
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    recording = NarrationRecording(
        lang=lang, lesson_id=lesson_id, lesson_version=lesson.version, step_id=step_id,
        text_sha256=text_hash, sha256=digest, mime=facts.mime, file_name=name, size=len(data),
        duration_ms=facts.duration_ms, status=PENDING, recorded_by=recorder,
        ward_id=getattr(recorder, "ward_id", None), created_at=now or utcnow())
    db.session.add(recording)
    db.session.flush()
    return recording


def review(recording: NarrationRecording, reviewer, approve: bool,
           now: datetime | None = None) -> None:
    """Approve (the step plays it from now on, replacing an earlier one) or reject."""
    recording.reviewed_by = reviewer
    recording.reviewed_at = now or utcnow()
    if not approve:
        recording.status = REJECTED
        return
    others = db.session.scalars(select(NarrationRecording).where(
        NarrationRecording.lang == recording.lang,
        NarrationRecording.lesson_id == recording.lesson_id,
        NarrationRecording.step_id == recording.step_id,
        NarrationRecording.status == APPROVED, NarrationRecording.id != recording.id))
    for other in others:
        other.status = REPLACED
    recording.status = APPROVED


@dataclass(frozen=True)
class Playable:
    """What the player plays for one step: a URL, and its hash and size for the cache."""

    url: str
    sha256: str
    size: int
    duration_ms: int | None

    def as_json(self) -> dict:
        return {"url": self.url, "sha256": self.sha256, "bytes": self.size,
                "duration_ms": self.duration_ms}


def playable(release, lang: str, lesson: Lesson, recording_url, shipped_url) -> dict[str, Playable]:
    """Per step id, the recording the player plays: the newest approved upload for the step's
    current text, else the file the content release ships; stale ones never play."""
    found: dict[str, Playable] = {}
    for step in lesson_narration(release, lang, lesson):
        upload = next((r for r in step.recordings
                       if r.status == APPROVED and step.is_current(r)), None)
        if upload is not None:
            found[step.step_id] = Playable(recording_url(upload), upload.sha256, upload.size,
                                           upload.duration_ms)
        elif step.shipped is not None and not step.shipped.stale:
            shipped = step.shipped
            found[step.step_id] = Playable(shipped_url(lang, shipped), shipped.sha256,
                                           shipped.size, shipped.duration_ms)
    return found


def recordings_to_review(viewer_ward_filter, limit: int = 100) -> list[NarrationRecording]:
    """Recordings waiting for review in the viewer's scope, oldest first."""
    return list(db.session.scalars(
        select(NarrationRecording)
        .where(NarrationRecording.status == PENDING, viewer_ward_filter)
        .order_by(NarrationRecording.created_at, NarrationRecording.id).limit(limit)))
