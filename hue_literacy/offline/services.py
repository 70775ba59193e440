"""What a phone must precache to open every lesson of one language with the network off.

The cache key is a hash of the content release and of every static file, so a new content
release or a new version of the app's code makes phones build a fresh cache beside the old
one and switch to it only when it is complete.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from hue_literacy.static_files import file_hash

STATIC_PATTERNS = ("css/*.css", "js/**/*.js", "icons/*.svg", "icons/*.png", "vendor/**/*.js")
# Scripts only staff pages load: kept out of the learners' precache (every learner's phone
# downloads that), cached by the staff's own list instead (staff_manifest).
STAFF_ONLY = "js/staff"


def _is_staff_only(path: Path, static_dir: Path) -> bool:
    return path.relative_to(static_dir).as_posix().startswith(STAFF_ONLY + "/")


def static_files(static_dir: Path) -> list[Path]:
    """The static files every phone precaches (staff-only scripts excepted)."""
    found: set[Path] = set()
    for pattern in STATIC_PATTERNS:
        found.update(path for path in static_dir.glob(pattern)
                     if path.is_file() and not _is_staff_only(path, static_dir))
    return sorted(found)


def staff_files(static_dir: Path) -> list[Path]:
    return sorted(path for path in (static_dir / STAFF_ONLY).glob("**/*.js") if path.is_file())


def static_urls(static_dir: Path, files: list[Path] | None = None) -> list[str]:
    """Each static file once, with its content hash as pages link it; the service worker
    matches the plain URLs that ES modules import ignoring the query."""
    return [
        f"/static/{path.relative_to(static_dir).as_posix()}?v={file_hash(path)}"
        for path in (static_files(static_dir) if files is None else files)
    ]


def cache_key(content_hash: str, static_dir: Path, lang: str) -> str:
    digest = hashlib.sha256(f"{content_hash}:{lang}".encode())
    for path in static_files(static_dir):
        digest.update(path.relative_to(static_dir).as_posix().encode())
        digest.update(file_hash(path).encode())
    return digest.hexdigest()[:16]


def lesson_urls(release, lang: str) -> list[str]:
    """The catalogue, the saved "My progress", every lesson page, its QR codes and media."""
    urls = [f"/learn/{lang}/", f"/learn/{lang}/my-progress"]  # "My progress" from its copy
    for lesson in release.lessons[lang].values():
        urls.append(f"/learn/{lang}/{lesson.id}")
        for step in lesson.steps:
            if step.type == "scan":
                urls.append(
                    f"/learn/practice-qr/{lesson.id}/{step.id}.svg?v={release.content_hash[:12]}"
                )
            for media in (getattr(step, "audio", None), getattr(step, "image", None)):
                if media:
                    urls.append(f"/learn/media/{lang}/{media}")
    return urls


def precache_manifest(release, static_dir: Path, lang: str) -> dict:
    return {
        "lang": lang,
        "content_hash": release.content_hash,
        "cache_key": cache_key(release.content_hash, static_dir, lang),
        "urls": lesson_urls(release, lang) + static_urls(static_dir),
    }


def staff_manifest(static_dir: Path, shell_url: str, account_id: int) -> dict:
    """What a staff member's phone caches to open the households and learners offline: the
    app shell (a page drawn from the ward copy kept on the phone) and the staff scripts."""
    files = staff_files(static_dir)
    digest = hashlib.sha256(f"staff:{account_id}".encode())
    for path in files:
        digest.update(path.relative_to(static_dir).as_posix().encode())
        digest.update(file_hash(path).encode())
    return {"account": account_id, "cache_key": digest.hexdigest()[:16], "shell": shell_url,
            "urls": [shell_url, *static_urls(static_dir, files)]}
