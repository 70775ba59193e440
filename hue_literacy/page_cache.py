"""Pages that are the same for every visitor, drawn once and kept: lessons and the catalogue.

Without the service worker (a first visit, or a ward hall served over plain http, where phones
cannot keep the lessons) every phone asks the server for each lesson it opens: on a class day
more than half of all requests are lessons and the catalogue, and drawing one cost 10-20 ms
of CPU, the largest share of the server's work (bench/load_test.py). Their HTML depends only on
what they show, the content release, the language and the address the page was asked on (the
practice QR codes carry it), never on who asks (lessons/_layout.html: no account, no form
token, the same words for staff and learners), so each worker keeps what it drew under that
key, a bounded number of pages, least recently used first out. Nor does serving one look up
who is signed in: no database round trip at all. Each page is also kept compressed, once per
encoding a phone asked for (compressing a lesson was 0.8 ms, a fifth of serving it kept),
and its ETag lets a browser that has the page get a 304 without the body.

Not while debugging: templates edited on disk must show at once.
"""
from __future__ import annotations

import gzip
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

import brotli  # Flask-Compress's own; the same encodings and levels as its other answers
from flask import Flask, Response, current_app, request

from hue_literacy import request_inputs as inputs

KEPT_PAGES = 256  # about 50 lessons x 2 languages x an address or two: some MB a worker


@dataclass
class KeptPage:
    """A drawn page: its bytes, their ETag, and the bytes compressed per encoding."""

    body: bytes
    etag: str
    encoded: dict[str, bytes] = field(default_factory=dict)

    def encode(self, encoding: str, level: int) -> bytes:
        found = self.encoded.get(encoding)
        if found is None:  # two threads may both compress it the first time: the same bytes
            found = (brotli.compress(self.body, quality=level) if encoding == "br"
                     else gzip.compress(self.body, level))
            self.encoded[encoding] = found
        return found


class PageCache:
    """Drawn pages by key, the most recently used kept; safe for a worker's threads."""

    def __init__(self, size: int = KEPT_PAGES) -> None:
        self.size = size
        self._pages: OrderedDict[Hashable, KeptPage] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_draw(self, key: Hashable, draw: Callable[[], str]) -> KeptPage:
        """The page kept under `key`; drawn by `draw` the first time (outside the lock: two
        threads may both draw a page the first time, and draw the same)."""
        with self._lock:
            kept = self._pages.get(key)
            if kept is not None:
                self._pages.move_to_end(key)
                return kept
        body = draw().encode()
        kept = KeptPage(body, hashlib.blake2b(body, digest_size=12).hexdigest())
        with self._lock:
            self._pages[key] = kept
            self._pages.move_to_end(key)
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)
        return kept

    def __len__(self) -> int:
        return len(self._pages)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()


def init_app(app: Flask) -> None:
    app.extensions["hue_page_cache"] = PageCache()


def same_for_everyone(key: tuple, draw: Callable[[], str]) -> Response:
    """The page `draw` renders for `key` (what it shows), kept for every visitor alike."""
    if current_app.debug:
        return current_app.response_class(draw(), mimetype="text/html")
    full_key = (inputs.release().content_hash, request.host_url, *key)
    kept = current_app.extensions["hue_page_cache"].get_or_draw(full_key, draw)
    config = current_app.config
    encoding = request.accept_encodings.best_match(
        [name for name in config["COMPRESS_ALGORITHM"] if name in ("br", "gzip")])
    response = current_app.response_class(mimetype="text/html")
    response.headers["Cache-Control"] = "no-cache"  # kept by a browser, asked again (304)
    if encoding:  # Flask-Compress leaves an answer with a Content-Encoding alone
        level = config["COMPRESS_BR_LEVEL"] if encoding == "br" else config["COMPRESS_LEVEL"]
        response.set_data(kept.encode(encoding, level))
        response.headers["Content-Encoding"] = encoding
        response.set_etag(f"{kept.etag}:{encoding}")  # as Flask-Compress marks its own
    else:
        response.set_data(kept.body)
        response.set_etag(kept.etag)
    return response.make_conditional(request)
