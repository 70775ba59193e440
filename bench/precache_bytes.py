"""Bytes a phone downloads to work offline, and for its first visit.

Prints, for each language: the total bytes precached by the service worker (every lesson,
practice QR, media file and the app's static files), raw and as sent compressed (gzip and
brotli, which the app negotiates), against the goal of 1.5 MB for the Vietnamese lessons;
and the first visit: the catalogue page with its CSS, icons and scripts.
Run: .venv/bin/python bench/precache_bytes.py
"""
from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _server import result  # noqa: E402

from hue_literacy import create_app  # noqa: E402
from hue_literacy.extensions import db  # noqa: E402

GOAL = 1_500_000


def size(client, url: str, encoding: str | None) -> int:
    headers = {"Accept-Encoding": encoding} if encoding else {}
    response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    data = response.get_data()
    response.close()
    return len(data)


def assets_of(html: str) -> list[str]:
    """Stylesheets, module scripts and images a page loads (what a browser fetches at once)."""
    links = re.findall(r'<link[^>]+rel="(?:stylesheet|icon|manifest)"[^>]+href="([^"]+)"', html)
    links += re.findall(r'<script[^>]+src="([^"]+)"', html)
    links += re.findall(r'<img[^>]+src="(/[^"]+)"', html)
    return list(dict.fromkeys(links))


def module_imports(client, url: str, seen: set[str]) -> None:
    """Follow `import ... from './x.js'` inside scripts, as the browser does."""
    if url in seen:
        return
    seen.add(url)
    if not url.split("?")[0].endswith(".js"):
        return
    source = client.get(url).get_data(as_text=True)
    base = url.split("?")[0].rsplit("/", 1)[0]
    for name in re.findall(r"""^import[^'"]*['"](\.\/[^'"]+)['"]""", source, re.MULTILINE):
        module_imports(client, f"{base}/{name[2:]}", seen)


def main() -> None:
    db_file = Path(tempfile.mkdtemp()) / "bench.sqlite"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_file}"})
    with app.app_context():  # lesson pages record their answer keys on first use
        db.create_all()
    client = app.test_client()
    print(f"{'':34}{'raw':>12}{'gzip':>12}{'brotli':>12}")
    for lang in ("vi", "en"):
        urls = client.get(f"/offline/{lang}/precache.json").get_json()["urls"]
        totals = [sum(size(client, url, enc) for url in urls) for enc in (None, "gzip", "br")]
        verdict = "under" if totals[1] < GOAL else "OVER"
        print(f"precache {lang} ({len(urls)} files){'':<13}"[:34]
              + "".join(f"{t:>12,}" for t in totals)
              + (f"   gzip {verdict} the 1.5 MB goal" if lang == "vi" else ""))
        if lang == "vi":
            result("vi precache (gzip)", "<= 1.5 MB", f"{totals[1] / 1000:.0f} KB",
                   totals[1] < GOAL)
        jsqr = [u for u in urls if "jsqr" in u.lower()]
        if jsqr:
            share = [sum(size(client, u, enc) for u in jsqr) for enc in (None, "gzip", "br")]
            print(f"  of which jsQR (camera fallback){'':<3}"[:34]
                  + "".join(f"{t:>12,}" for t in share))
    html = client.get("/learn/vi/").get_data(as_text=True)
    first: set[str] = set()
    for url in ["/learn/vi/", *assets_of(html)]:
        module_imports(client, url, first)
    totals = [sum(size(client, url, enc) for url in first) for enc in (None, "gzip", "br")]
    print(f"first visit /learn/vi/ ({len(first)} files){'':<10}"[:34]
          + "".join(f"{t:>12,}" for t in totals))
    result("first visit /learn/vi/ (gzip)", "<= 100 KB", f"{totals[1] / 1000:.1f} KB",
           totals[1] <= 100_000)
    print("  (then the service worker downloads the precache above in the background)")


if __name__ == "__main__":
    main()
