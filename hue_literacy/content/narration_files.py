"""Approved narration shipped in the content folder: `<lang>/narration/manifest.yaml` and files.

`flask content narration export` writes them; the release carries them like any lesson file
(they are part of the content hash). A file the manifest does not name, an entry whose lesson
step does not exist or whose file is missing or has another sha256 is a problem; a recording
made for a step text that changed since is a warning ("stale") and is not played.
"""
from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from hue_literacy.content.model import Lesson
from hue_literacy.content.speech import step_speech_text, text_sha256
from hue_literacy.content.yaml_lines import Problems, load_yaml_with_lines

FOLDER = "narration"
MANIFEST = "manifest.yaml"
AUDIO_SUFFIXES = {".webm": "audio/webm", ".mp4": "audio/mp4", ".m4a": "audio/mp4"}
ENTRY_FIELDS = ("lesson", "version", "step", "file", "sha256", "text_sha256")


@dataclass(frozen=True)
class NarrationFile:
    """One shipped recording; `stale` when the step's text changed after it was recorded."""

    lesson_id: str
    version: int
    step_id: str
    file: str  # relative to <lang>/narration/
    sha256: str
    text_sha256: str
    size: int
    duration_ms: int | None
    stale: bool

    @property
    def mime(self) -> str:
        return AUDIO_SUFFIXES.get(Path(self.file).suffix, "audio/webm")


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_narration(lang_dir: Path, lang: str, lessons: Mapping[str, Lesson],
                   problems: Problems) -> dict[tuple[str, str], NarrationFile]:
    """The shipped recordings of one language by (lesson id, step id), checked."""
    folder = lang_dir / FOLDER
    if not folder.is_dir():
        return {}
    manifest = folder / MANIFEST
    data = load_yaml_with_lines(manifest, problems) if manifest.is_file() else {}
    entries = (data or {}).get("recordings", []) if isinstance(data, dict) else None
    if not isinstance(entries, list):
        problems.add(manifest, "recordings", "expected a list of recordings")
        return {}
    found: dict[tuple[str, str], NarrationFile] = {}
    named: set[str] = set()
    for index, entry in enumerate(entries):
        where = f"recordings[{index}]"
        shipped = _entry(folder, manifest, where, entry, lang, lessons, problems)
        if shipped is None:
            continue
        named.add(shipped.file)
        if (shipped.lesson_id, shipped.step_id) in found:
            problems.add(manifest, where, f"a second recording of step {shipped.step_id} "
                         f"of {shipped.lesson_id}; keep one")
            continue
        found[(shipped.lesson_id, shipped.step_id)] = shipped
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_file() and path.name != MANIFEST and relative not in named:
            problems.add(path, "(file)", f"recording not in {FOLDER}/{MANIFEST}: add it with "
                         "`flask content narration export` or remove the file")
    return found


def _entry(folder: Path, manifest: Path, where: str, entry: object, lang: str,
           lessons: Mapping[str, Lesson], problems: Problems) -> NarrationFile | None:
    if not isinstance(entry, dict) or any(name not in entry for name in ENTRY_FIELDS):
        problems.add(manifest, where, "expected the fields " + ", ".join(ENTRY_FIELDS))
        return None
    file = str(entry["file"])
    path = folder / file
    if ".." in Path(file).parts or Path(file).suffix not in AUDIO_SUFFIXES:
        problems.add(manifest, f"{where}.file", f"'{file}': expected a .webm or .mp4 file "
                     "inside the narration folder")
        return None
    lesson = lessons.get(str(entry["lesson"]))
    step = lesson.step(str(entry["step"])) if lesson else None
    if step is None:
        problems.add(manifest, where, f"recording {file} has no step: lesson "
                     f"'{entry['lesson']}' has no step '{entry['step']}'")
        return None
    if not path.is_file():
        problems.add(manifest, f"{where}.file", f"'{file}' is missing")
        return None
    if file_sha256(path) != str(entry["sha256"]):
        problems.add(manifest, f"{where}.sha256", f"'{file}' does not match its sha256 "
                     "(changed or damaged); export it again")
        return None
    stale = text_sha256(step_speech_text(step, lang)) != str(entry["text_sha256"])
    if stale:
        problems.warn(manifest, where, f"recording {file} was made for an older text of step "
                      f"{step.id}; record it again (it is not played)")
    duration = entry.get("duration_ms")
    return NarrationFile(
        lesson_id=lesson.id, version=int(entry["version"]), step_id=step.id, file=file,
        sha256=str(entry["sha256"]), text_sha256=str(entry["text_sha256"]),
        size=path.stat().st_size, duration_ms=int(duration) if duration else None, stale=stale)
