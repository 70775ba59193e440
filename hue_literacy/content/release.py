"""A content release: the framework plus every lesson in every language, with a content hash."""
from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from hue_literacy.content.errors import ContentError, ContentProblem
from hue_literacy.content.framework import LANGS, Area, Framework, load_framework
from hue_literacy.content.lessons import load_lesson
from hue_literacy.content.model import Lesson, ScanStep
from hue_literacy.content.narration_files import NarrationFile, load_narration
from hue_literacy.content.release_checks import (
    check_archive,
    check_coverage,
    check_framework_ids,
    check_paths,
    check_references,
    check_structure,
    check_translations,
)
from hue_literacy.content.yaml_lines import Problems

REFERENCE_LANG = LANGS[0]
ARCHIVE_DIR = "archive"
_CACHE_SIZE = 16
_cache: dict[tuple[str, str], ContentRelease] = {}


@dataclass(frozen=True)
class ContentRelease:
    """Validated content, shared read-only between apps: `lessons[lang][lesson_id]`."""

    folder: Path
    framework: Framework
    content_hash: str
    lessons: Mapping[str, Mapping[str, Lesson]] = field(default_factory=dict)
    # Earlier versions of the framework (content/archive/), by version, for what was earned
    # under them; `framework` is the current one.
    archived: Mapping[int, Framework] = field(default_factory=dict)
    warnings: tuple[ContentProblem, ...] = ()
    # Shipped recordings (<lang>/narration/), by language and (lesson id, step id).
    narration: Mapping[str, Mapping[tuple[str, str], NarrationFile]] = field(
        default_factory=dict)

    def framework_version(self, version: int | None) -> Framework:
        """The framework as it was in `version` (the current one when unknown)."""
        if version is None or version == self.framework.version:
            return self.framework
        return self.archived.get(version, self.framework)

    def path_lessons(self, lang: str, group_id: str | None) -> list[Lesson]:
        """The lessons of a group's path, in the path's order."""
        lessons = self.in_lang(lang)
        return [lessons[lesson_id] for lesson_id in self.framework.path(group_id)
                if lesson_id in lessons]

    def in_lang(self, lang: str) -> Mapping[str, Lesson]:
        """Lessons of `lang` by id (Vietnamese for a language without lessons)."""
        return self.lessons.get(lang) or self.lessons.get(REFERENCE_LANG) or {}

    def lesson(self, lang: str, lesson_id: str) -> Lesson | None:
        return self.in_lang(lang).get(lesson_id)

    def area_lessons(self, lang: str, area_id: str) -> list[Lesson]:
        """Lessons of one area in catalogue order."""
        lessons = (lesson for lesson in self.in_lang(lang).values() if lesson.area == area_id)
        return sorted(lessons, key=lambda lesson: (lesson.order, lesson.id))

    def catalogue(self, lang: str) -> list[tuple[Area, list[Lesson]]]:
        """The framework's areas that have lessons, in its order, with their lessons in order."""
        areas = [(area, self.area_lessons(lang, area.id)) for area in self.framework.areas]
        return [(area, lessons) for area, lessons in areas if lessons]

    def competency_lessons(self, lang: str, competency_id: str) -> list[Lesson]:
        """Lessons that train a competency, in catalogue order."""
        return [lesson for _area, lessons in self.catalogue(lang) for lesson in lessons
                if competency_id in lesson.competencies]

    def scan_step(self, lang: str, code: str) -> tuple[Lesson, ScanStep] | None:
        """The lesson and scan step of a practice QR code."""
        for lesson in self.in_lang(lang).values():
            for step in lesson.steps:
                if isinstance(step, ScanStep) and step.code == code:
                    return lesson, step
        return None

    def counts(self) -> dict[str, dict[str, int]]:
        """Number of lessons per language and area."""
        return {
            lang: {area.id: len(self.area_lessons(lang, area.id)) for area in self.framework.areas}
            for lang in self.lessons
        }

    def summary(self) -> str:
        older = "".join(f", v{version} archived" for version in sorted(self.archived))
        lines = [
            f"Content OK: framework {self.framework.id} v{self.framework.version}{older}, "
            f"content hash {self.content_hash[:12]}"
        ]
        for lang, per_area in self.counts().items():
            areas = ", ".join(f"{area_id} {count}" for area_id, count in per_area.items())
            lines.append(f"  {lang}: {sum(per_area.values())} lessons ({areas})")
        if self.warnings:
            lines.append(f"{len(self.warnings)} warning(s), listed above")
        return "\n".join(lines)


def content_hash(folder: Path) -> str:
    """SHA-256 over every file's relative path and bytes, in a stable order."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.suffix == ".md":
            continue
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def load_release(folder: Path) -> ContentRelease:
    """Load and validate the whole folder; raise ContentError listing every problem."""
    # A valid release is kept by folder and content hash: creating many apps (as the tests
    # do) parses the files once, and any change to a file changes the hash.
    folder = Path(folder)
    digest = content_hash(folder)
    key = (str(folder.resolve()), digest)
    if key not in _cache:
        release = _load(folder, digest)
        while len(_cache) >= _CACHE_SIZE:
            _cache.pop(next(iter(_cache)))
        _cache[key] = release
    return _cache[key]


def _load(folder: Path, digest: str) -> ContentRelease:
    problems = Problems(root=folder)
    framework_path = folder / "framework.yaml"
    framework = load_framework(framework_path, problems)
    files = {lang: _lesson_files(folder / lang, problems) for lang in LANGS}
    lessons: dict[str, dict[str, Lesson]] = {lang: {} for lang in LANGS}
    for lang, paths in files.items():
        for lesson_id, path in paths.items():
            lesson = load_lesson(path, lang, problems)
            if lesson is not None:
                lessons[lang][lesson_id] = lesson

    check_translations(files, problems)
    narration = {lang: MappingProxyType(load_narration(folder / lang, lang, lessons[lang],
                                                       problems))
                 for lang in LANGS}
    for lang in LANGS:
        if lang != REFERENCE_LANG:
            for lesson_id, lesson in lessons[lang].items():
                reference = lessons[REFERENCE_LANG].get(lesson_id)
                if reference is not None:
                    check_structure(reference, lesson, problems)
        check_references(lessons[lang], set(files[lang]), problems)
    archived: dict[int, Framework] = {}
    if framework is not None:
        check_framework_ids(lessons, framework, problems)
        check_paths(framework, framework_path, set(files[REFERENCE_LANG]), problems)
        # A file that did not load may train the "missing" competency: fix it first.
        if all(len(lessons[lang]) == len(files[lang]) for lang in LANGS):
            check_coverage(lessons, framework, framework_path, problems)
        archived = _archived(folder / ARCHIVE_DIR, framework, problems)

    warnings = tuple(sorted(problems.warnings, key=_where))
    if problems or framework is None:
        raise ContentError(sorted(problems.items, key=_where), warnings)
    return ContentRelease(
        folder=folder, framework=framework, content_hash=digest,
        lessons=MappingProxyType(
            {lang: MappingProxyType(by_id) for lang, by_id in lessons.items()}
        ),
        archived=MappingProxyType(archived), warnings=warnings,
        narration=MappingProxyType(narration),
    )


def _where(problem: ContentProblem) -> tuple[str, int]:
    return problem.file, problem.line or 0


def _archived(archive: Path, current: Framework, problems: Problems) -> dict[int, Framework]:
    """Every earlier framework version kept in the archive folder, by version."""
    found: dict[int, Framework] = {}
    if not archive.is_dir():
        return found
    for path in sorted(archive.glob("*.yaml")):
        old = load_framework(path, problems)
        if old is not None and check_archive(old, current, path, found, problems):
            found[old.version] = old
    return found


def _lesson_files(lang_dir: Path, problems: Problems) -> dict[str, Path]:
    """Lesson files of one language by lesson id (the file name)."""
    if not lang_dir.is_dir():
        problems.add(lang_dir, "(folder)", "missing; expected a folder of lesson files")
        return {}
    files = {}
    for path in sorted(lang_dir.iterdir()):
        if path.suffix == ".yml":
            problems.add(path, "(file)", f"lesson files end in .yaml; rename it {path.stem}.yaml")
        elif path.suffix == ".yaml" and path.is_file():
            files[path.stem] = path
    return files
