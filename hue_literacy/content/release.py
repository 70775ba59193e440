"""A content release: the framework plus every lesson in every language, with a content hash."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from hue_literacy.content.errors import ContentError
from hue_literacy.content.framework import Framework, load_framework
from hue_literacy.content.yaml_lines import Problems


@dataclass
class ContentRelease:
    folder: Path
    framework: Framework
    content_hash: str
    lessons: dict = field(default_factory=dict)

    def summary(self) -> str:
        return (
            f"Content OK: framework {self.framework.id} v{self.framework.version}, "
            f"content hash {self.content_hash[:12]}"
        )


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
    problems = Problems(root=folder)
    framework = load_framework(folder / "framework.yaml", problems)
    if problems or framework is None:
        raise ContentError(problems.items)
    return ContentRelease(folder=folder, framework=framework, content_hash=content_hash(folder))
