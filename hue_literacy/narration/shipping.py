"""Narration and the content release: coverage per lesson, and moving approved recordings into
the versioned content folder (`flask content narration export`) and back (`import`)."""
from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml
from sqlalchemy import select

from hue_literacy.content.narration_files import FOLDER, MANIFEST
from hue_literacy.extensions import db
from hue_literacy.narration.models import APPROVED, PENDING, REJECTED, NarrationRecording
from hue_literacy.narration.services import lesson_narration

STATES = ("approved", "recorded", "stale", "missing")


@dataclass(frozen=True)
class Coverage:
    """Steps of one lesson in one language by narration state."""

    lang: str
    lesson_id: str
    steps: int
    recorded: int  # a recording for the current text, approved or waiting for review
    approved: int
    stale: int
    missing: int

    def line(self) -> str:
        return (f"  {self.lang} {self.lesson_id}: {self.steps} steps, recorded {self.recorded},"
                f" approved {self.approved}, stale {self.stale}, missing {self.missing}")


def coverage(release, uploads: bool = True) -> list[Coverage]:
    """Narration coverage of every lesson of every language, in catalogue order (`uploads`
    False: the content folder's files only, for a machine without a database)."""
    rows = []
    for lang, lessons in release.lessons.items():
        for lesson in sorted(lessons.values(), key=lambda item: (item.area, item.order, item.id)):
            states = [step.state for step in lesson_narration(release, lang, lesson, uploads)]
            count = {state: states.count(state) for state in STATES}
            rows.append(Coverage(lang, lesson.id, len(states),
                                 count["approved"] + count["recorded"], count["approved"],
                                 count["stale"], count["missing"]))
    return rows


def upload_problems(release, folder: Path) -> list[str]:
    """Stored uploads (not rejected) whose file is missing, damaged, or has no step."""
    problems = []
    live = db.session.scalars(select(NarrationRecording)
                              .where(NarrationRecording.status != REJECTED)
                              .order_by(NarrationRecording.id))
    for recording in live:
        where = f"{folder / recording.file_name} (recording {recording.id})"
        lesson = release.lessons.get(recording.lang, {}).get(recording.lesson_id)
        if lesson is None or lesson.step(recording.step_id) is None:
            problems.append(f"{where}: lesson '{recording.lesson_id}' has no step "
                            f"'{recording.step_id}'; reject the recording")
            continue
        path = folder / recording.file_name
        if not path.is_file():
            problems.append(f"{where}: the file is missing")
        elif hashlib.sha256(path.read_bytes()).hexdigest() != recording.sha256:
            problems.append(f"{where}: the file does not match its sha256")
    return problems


def export_approved(release, folder: Path, content_dir: Path) -> dict[str, int]:
    """Write every approved recording of a current step text into <lang>/narration/ with a
    manifest of hashes (replacing what was there); return the count per language."""
    counts = {}
    for lang, lessons in release.lessons.items():
        entries = []
        target = content_dir / lang / FOLDER
        staged: list[tuple[Path, str]] = []
        for lesson in lessons.values():
            for step in lesson_narration(release, lang, lesson):
                upload = next((r for r in step.recordings
                               if r.status == APPROVED and step.is_current(r)), None)
                if upload is not None:
                    relative = f"{lesson.id}/{step.step_id}.{upload.extension}"
                    staged.append((folder / upload.file_name, relative))
                    entries.append(_entry(lesson, step.step_id, relative, upload.sha256,
                                          upload.text_sha256, upload.duration_ms))
                elif step.shipped is not None and not step.shipped.stale:
                    staged.append((target / step.shipped.file, step.shipped.file))
                    entries.append(_entry(lesson, step.step_id, step.shipped.file,
                                          step.shipped.sha256, step.shipped.text_sha256,
                                          step.shipped.duration_ms))
        counts[lang] = len(entries)
        if not entries and not target.exists():
            continue
        _write_folder(target, staged, entries)
    return counts


def _entry(lesson, step_id: str, file: str, sha256: str, text_hash: str,
           duration_ms: int | None) -> dict:
    entry = {"lesson": lesson.id, "version": lesson.version, "step": step_id, "file": file,
             "sha256": sha256, "text_sha256": text_hash}
    if duration_ms:
        entry["duration_ms"] = duration_ms
    return entry


def _write_folder(target: Path, staged: list[tuple[Path, str]], entries: list[dict]) -> None:
    """Build the new folder beside the old one, then swap, so a failure leaves the old one."""
    fresh = target.with_name(FOLDER + ".new")
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir(parents=True)
    for source, relative in staged:
        (fresh / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, fresh / relative)
    header = "# Written by `flask content narration export`; checked by `flask content check`.\n"
    (fresh / MANIFEST).write_text(
        header + yaml.safe_dump({"recordings": sorted(entries, key=lambda e: (e["lesson"],
                                                                              e["step"]))},
                                allow_unicode=True, sort_keys=False), encoding="utf-8")
    old = target.with_name(FOLDER + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def import_shipped(release, folder: Path) -> int:
    """Store the release's shipped recordings as approved uploads (another server's export);
    a recording already stored (same step and sha256) is skipped. Returns how many were new."""
    added = 0
    for lang, shipped in release.narration.items():
        for (lesson_id, step_id), item in shipped.items():
            known = db.session.scalar(select(NarrationRecording.id).where(
                NarrationRecording.lang == lang, NarrationRecording.lesson_id == lesson_id,
                NarrationRecording.step_id == step_id, NarrationRecording.sha256 == item.sha256))
            if known is not None:
                continue
            extension = Path(item.file).suffix.lstrip(".")
            name = f"{lang}/{lesson_id}/{step_id}-{item.sha256[:16]}.{extension}"
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(release.folder / lang / FOLDER / item.file, folder / name)
            db.session.add(NarrationRecording(
                lang=lang, lesson_id=lesson_id, lesson_version=item.version, step_id=step_id,
                text_sha256=item.text_sha256, sha256=item.sha256, mime=item.mime,
                file_name=name, size=item.size, duration_ms=item.duration_ms,
                status=PENDING if item.stale else APPROVED))
            added += 1
    return added
