"""Pages that are the same for every visitor, drawn once and kept: lessons and the catalogue.

Without the service worker (a first visit, or a ward hall served over plain http, where phones
cannot keep the lessons) every phone asks the server for each lesson it opens: on a class day
more than half of all requests are lessons and the catalogue, and drawing one cost 10-20 ms
of CPU, the largest share of the server's work (bench/load_test.py). Their HTML depends only on
what they show, the content release, the language and the address the page was asked on (the
practice QR codes carry it), never on who asks (lessons/_layout.html: no account, no form
token, the same words for staff and learners), so each worker keeps what it drew under that
key, a bounded number of pages, least recently used first out. Nor does serving one look up
who is signed in: no database round trip at all. An ETag lets a browser that has the page
get a 304 without the body.

Not while debugging: templates edited on disk must show at once.
"""
from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from flask import Flask, Response, current_app, request

from hue_literacy import request_inputs as inputs

KEPT_PAGES = 256  # about 50 lessons x 2 languages x an address or two: some MB a worker


class PageCache:
    """Drawn pages by key, the most recently used kept; safe for a worker's threads."""

    def __init__(self, size: int = KEPT_PAGES) -> None:
        self.size = size
        self._pages: OrderedDict[Hashable, tuple[bytes, str]] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_draw(self, key: Hashable, draw: Callable[[], str]) -> tuple[bytes, str]:
        """The page's bytes and ETag; drawn by `draw` the first time (outside the lock: two
        threads may both draw a page the first time, and draw the same)."""
        with self._lock:
            kept = self._pages.get(key)
            if kept is not None:
                self._pages.move_to_end(key)
                return kept
        body = draw().encode()
        kept = (body, hashlib.blake2b(body, digest_size=12).hexdigest())
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
    full_key = (inputs.release().content_hash, request.host_url, *key)
    if current_app.debug:
        body, etag = draw().encode(), None
    else:
        body, etag = current_app.extensions["hue_page_cache"].get_or_draw(full_key, draw)
    response = current_app.response_class(body, mimetype="text/html")
    response.headers["Cache-Control"] = "no-cache"  # kept by a browser, asked again (304)
    if etag:
        response.set_etag(etag)
        response.make_conditional(request)
    return response
