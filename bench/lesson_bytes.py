"""Print the bytes a phone downloads for the lesson catalogue, a lesson page, CSS and JS.

Raw and gzip-compressed (level 6, what a typical reverse proxy sends). Runs the app in
process with the Flask test client: no server, no database rows needed.

    .venv/bin/python bench/lesson_bytes.py [lesson-id]
"""
from __future__ import annotations

import gzip
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "bench"))

from _server import result  # noqa: E402

from hue_literacy import create_app  # noqa: E402
from hue_literacy.content.access import release  # noqa: E402
from hue_literacy.extensions import db  # noqa: E402

IMPORT = re.compile(r"""^\s*import\s[^'"]*['"]\./([\w-]+\.js)['"]""", re.M)


def sizes(body: bytes) -> tuple[int, int]:
    return len(body), len(gzip.compress(body, compresslevel=6))


def module_graph(js_dir: Path, entry: str) -> list[str]:
    """The entry module and every module it imports, each once."""
    seen: list[str] = []
    todo = [entry]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.append(name)
        todo.extend(IMPORT.findall((js_dir / name).read_text(encoding="utf-8")))
    return seen


def main() -> None:
    lesson_id = sys.argv[1] if len(sys.argv) > 1 else "pay-read-vietqr"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.app_context():  # lesson pages record their answer keys on first use
        db.create_all()
    static = Path(app.config["STATIC_DIR"])
    client = app.test_client()

    def get(url: str) -> bytes:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response.data

    with app.app_context():
        lessons = list(release().in_lang("vi").values())
        lesson = release().lesson("vi", lesson_id)
        qr_url = next(
            (f"/learn/practice-qr/{lesson.id}/{step.id}.svg" for step in lesson.steps
             if step.type == "scan"), None)
    largest = max(lessons, key=lambda item: len(get(f"/learn/vi/{item.id}")))
    player_js = module_graph(static / "js", "player.js")
    catalogue_js = module_graph(static / "js", "catalogue.js")

    rows: list[tuple[str, bytes]] = [
        ("catalogue page /learn/vi/", get("/learn/vi/")),
        (f"lesson page /learn/vi/{lesson_id}", get(f"/learn/vi/{lesson_id}")),
        (f"largest lesson page ({largest.id})", get(f"/learn/vi/{largest.id}")),
        ("CSS app.css", (static / "css/app.css").read_bytes()),
        ("CSS player.css", (static / "css/player.css").read_bytes()),
        ("icons sprite.svg", (static / "icons/sprite.svg").read_bytes()),
    ]
    if qr_url:
        rows.append(("practice QR image (one scan step)", get(qr_url)))
    for name in player_js:
        rows.append((f"  JS {name}", (static / "js" / name).read_bytes()))
    player_total = b"".join((static / "js" / name).read_bytes() for name in player_js)
    rows.append((f"JS player total ({len(player_js)} modules)", player_total))
    rows.append((f"JS catalogue total ({len(catalogue_js)} modules)",
                 b"".join((static / "js" / name).read_bytes() for name in catalogue_js)))
    rows.append(("JS app.js (every page, service worker set-up)",
                 (static / "js/app.js").read_bytes()))
    rows.append(("JS jsQR (lazy: only for camera/photo without BarcodeDetector)",
                 (static / "vendor/jsqr/jsQR.js").read_bytes()))

    width = max(len(name) for name, _body in rows)
    print(f"{'what':<{width}}  {'raw bytes':>10}  {'gzip bytes':>10}")
    for name, body in rows:
        raw, packed = sizes(body)
        print(f"{name:<{width}}  {raw:>10,}  {packed:>10,}")

    first_visit = [rows[1][1], rows[3][1], rows[4][1], rows[5][1], player_total,
                   (static / "js/app.js").read_bytes()]
    raw = sum(len(body) for body in first_visit)
    packed = sum(sizes(body)[1] for body in first_visit)
    print(f"{'first lesson visit (page + CSS + sprite + JS, without jsQR)':<{width}}  "
          f"{raw:>10,}  {packed:>10,}")
    js = sizes(player_total)[1]
    result("lesson player JS (gzip)", "<= 40 KB", f"{js / 1024:.1f} KB", js <= 40 * 1024)


if __name__ == "__main__":
    main()
