"""Certificate HTML to PDF bytes with WeasyPrint: in this process, or in parts on every core.

Laying out a page costs WeasyPrint tens of milliseconds of pure Python, so a ward's batch of
hundreds of pages is cut into parts that worker processes lay out at once, joined with pypdf
in page order. Workers start fresh ("spawn": safe from a threaded server) and import only
WeasyPrint: they get a part's HTML and give its PDF, never touching the app, its database
or its templates. Each part embeds its own subset of the fonts (a few dozen KB), so the
joined file grows by that much per part, not per page.
"""
from __future__ import annotations

import gc
import io
import multiprocessing
import os
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path

STYLESHEET = Path(__file__).parent / "templates" / "certificates" / "print.css"
# Below this many pages a part's worker costs more to start (about 0.5 s of CPU to import
# WeasyPrint) than it saves; a single certificate is always written in the request's process.
PAGES_PER_PART_AT_LEAST = 40
# Two parts per process: a worker slowed down by other work on the machine holds up less.
PARTS_PER_PROCESS = 2

_per_thread = threading.local()


def usable_cores() -> int:
    """Cores this process may run on (its CPU affinity, not every core of the machine)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def part_bounds(pages: int, processes: int) -> list[tuple[int, int]]:
    """(start, stop) of each part: one part when it is small or there is one process."""
    parts = min(max(processes, 1) * PARTS_PER_PROCESS, pages // PAGES_PER_PART_AT_LEAST)
    if processes <= 1 or parts <= 1:
        return [(0, pages)]
    size, extra = divmod(pages, parts)
    bounds, start = [], 0
    for index in range(parts):
        stop = start + size + (1 if index < extra else 0)
        bounds.append((start, stop))
        start = stop
    return bounds


def write_pdf(html: str) -> bytes:
    """One PDF from the HTML of certificate pages, with the print stylesheet."""
    from weasyprint import HTML

    stylesheet, fonts = _stylesheet()
    with _without_cycle_collection():
        document = HTML(string=html, url_fetcher=_only_embedded())
        return document.write_pdf(stylesheets=[stylesheet], font_config=fonts)


def write_pdf_in_parts(parts: Iterable[str], processes: int) -> bytes:
    """One PDF from parts' HTML, written by `processes` worker processes at once, joined.

    `parts` may be a generator: the next part's HTML is made here while workers write the
    earlier ones.
    """
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(processes, mp_context=context, initializer=_start_worker) as pool:
        futures = [pool.submit(write_pdf, html) for html in parts]
        return join([future.result() for future in futures])


def join(parts: list[bytes]) -> bytes:
    """The parts' pages in order in one PDF, with the first part's title and author."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    readers = [PdfReader(io.BytesIO(part)) for part in parts]
    for reader in readers:
        writer.append(reader)
    if readers[0].metadata:
        writer.add_metadata(dict(readers[0].metadata))
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _stylesheet():
    """The print stylesheet and its font configuration, parsed once per thread and reused.

    WeasyPrint objects are not shared between threads (a threaded server renders at once).
    """
    cached = getattr(_per_thread, "stylesheet", None)
    if cached is None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        fonts = FontConfiguration()
        cached = (CSS(string=STYLESHEET.read_text(encoding="utf-8"), font_config=fonts), fonts)
        _per_thread.stylesheet = cached
    return cached


def _start_worker() -> None:
    """A part's worker: WeasyPrint and the stylesheet loaded once, before the first part."""
    _stylesheet()
    gc.freeze()  # what is loaded now stays: the collector need not scan it again


def _only_embedded():
    """A fetcher that loads nothing but the document's own data: URIs (no files, no network)."""
    try:
        from weasyprint.urls import URLFetcher
    except ImportError:  # WeasyPrint before 67: a plain function
        from weasyprint import default_url_fetcher

        def fetch(url: str, *args, **kwargs):
            if not url.startswith("data:"):
                raise ValueError(f"certificates load no outside resources: {url[:40]}")
            return default_url_fetcher(url, *args, **kwargs)

        return fetch
    return URLFetcher(allowed_protocols=("data",))


class _CyclePause:
    """Pause Python's cycle collector while WeasyPrint lays out and writes a document.

    A layout allocates millions of small objects that reference counting frees anyway; the
    collector scanning the growing heap made a 500-page batch about a third slower. Renders
    may overlap in a threaded server: the collector runs again when the last one ends.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._active = 0
        self._was_enabled = True

    @contextmanager
    def __call__(self) -> Iterator[None]:
        with self._lock:
            if self._active == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._active += 1
        try:
            yield
        finally:
            with self._lock:
                self._active -= 1
                if self._active == 0 and self._was_enabled:
                    gc.enable()


_without_cycle_collection = _CyclePause()
