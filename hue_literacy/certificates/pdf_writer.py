"""Certificate HTML to PDF bytes with WeasyPrint: shared pages once, each learner's fields
over them, a big batch in parts on every core.

Laying out a page costs WeasyPrint tens of milliseconds of pure Python, most of it the text
every certificate of a batch shares. So the shared page is laid out once per distinct key
(print.html, the learner's fields hidden slots of fixed size) and each certificate only lays
out its own fields (fields.html, boxes placed at those slots); pypdf then draws the shared
page under each fields page as one form XObject, referenced, not copied, by every page.
A big batch's fields are cut into parts that worker processes lay out at once, joined in
page order. Workers start fresh ("spawn": safe from a threaded server) and import only
WeasyPrint: they get HTML and give PDF, never touching the app, its database or templates.
Each part embeds its own subset of the fonts (a few dozen KB), not one per page.
"""
from __future__ import annotations

import functools
import gc
import io
import itertools
import multiprocessing
import os
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path

STYLESHEET = Path(__file__).parent / "templates" / "certificates" / "print.css"
FIELDS_STYLESHEET = STYLESHEET.with_name("fields.css")
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


Slots = dict[str, tuple[float, float, float, float]]  # name: left, top, width, height (px)


def write_pdf(html: str, slots_css: str = "") -> bytes:
    """One PDF from the HTML of fields pages, with the print stylesheets and the slots' places."""
    from weasyprint import CSS, HTML

    stylesheet, fields, fonts = _stylesheets()
    with _without_cycle_collection():
        document = HTML(string=html, url_fetcher=_only_embedded())
        return document.write_pdf(
            stylesheets=[stylesheet, fields, CSS(string=slots_css, font_config=fonts)],
            font_config=fonts)


@functools.lru_cache(maxsize=16)  # a few wards' pages of about 30 KB each
def write_background(html: str) -> tuple[bytes, Slots]:
    """The PDF of a shared page and where its slots are: each data-slot's margin box.

    Kept for the next certificate of the same ward and profile (the HTML is the same).
    """
    from weasyprint import HTML

    stylesheet, _fields, fonts = _stylesheets()
    with _without_cycle_collection():
        document = HTML(string=html, url_fetcher=_only_embedded()).render(
            stylesheets=[stylesheet], font_config=fonts)
        slots: Slots = {}
        # WeasyPrint has no public geometry of boxes; its page box tree is what its tests read.
        for box in document.pages[0]._page_box.descendants(placeholders=True):
            element = getattr(box, "element", None)
            name = element.get("data-slot") if element is not None else None
            if name and name not in slots:
                slots[name] = (box.position_x, box.position_y, box.width, box.height)
        return document.write_pdf(), slots


def slots_css(slots: list[Slots]) -> str:
    """Rules that put each fields box of background N where its slot is (.bN .s-name ...)."""
    rules = []
    for index, places in enumerate(slots):
        for name, (left, top, width, height) in places.items():
            size = f" width: {width:.3f}px; height: {height:.3f}px;" if width else ""
            rules.append(f".b{index} .s-{name} {{ left: {left:.3f}px; top: {top:.3f}px; "
                         f"right: auto;{size} }}")
    return "\n".join(rules)


def write_document(backgrounds: list[str], parts: Iterable[str], page_backgrounds: list[int],
                   processes: int) -> bytes:
    """The shared pages' and the fields parts' HTML to one PDF, page i over its background.

    With `processes` > 1, worker processes lay out the shared pages first, then the parts;
    `parts` may be a generator: the first part's HTML is made while the shared pages are laid
    out, the next ones while workers write the earlier ones.
    """
    parts = iter(parts)
    if processes <= 1:
        drawn = [write_background(html) for html in backgrounds]
        css = slots_css([places for _pdf, places in drawn])
        fields = [write_pdf(html, css) for html in parts]
    else:
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(processes, mp_context=context,
                                 initializer=_start_worker) as pool:
            shared = [pool.submit(write_background, html) for html in backgrounds]
            first = next(parts)
            drawn = [future.result() for future in shared]
            css = slots_css([places for _pdf, places in drawn])
            futures = [pool.submit(write_pdf, html, css)
                       for html in itertools.chain([first], parts)]
            fields = [future.result() for future in futures]
    return join(fields, [pdf for pdf, _places in drawn], page_backgrounds)


def join(parts: list[bytes], backgrounds: list[bytes] = (),
         page_backgrounds: list[int] = ()) -> bytes:
    """The parts' pages in order in one PDF, each over its background, with the first part's
    title and author."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    readers = [PdfReader(io.BytesIO(part)) for part in parts]
    for reader in readers:
        writer.append(reader)
    if backgrounds:
        _draw_under(writer, backgrounds, page_backgrounds)
    if readers[0].metadata:
        writer.add_metadata(dict(readers[0].metadata))
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _draw_under(writer, backgrounds: list[bytes], page_backgrounds: list[int]) -> None:
    """Draw background page_backgrounds[i] under page i: one form XObject per background,
    and per page one more name in its resources and a 20-byte stream before its content.

    pypdf's merge_page would copy (and parse) the background's content into every page.
    """
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

    drawn = []
    for index, pdf in enumerate(backgrounds):
        page = PdfReader(io.BytesIO(pdf)).pages[0]
        form = DecodedStreamObject()
        form.set_data(page.get_contents().get_data())
        form.update({
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(page.mediabox),
            NameObject("/Resources"): page["/Resources"].get_object().clone(writer),
        })
        name = NameObject(f"/HueBackground{index}")
        call = DecodedStreamObject()
        call.set_data(f"q {name} Do Q\n".encode())
        drawn.append((name, writer._add_object(form.flate_encode()), writer._add_object(call)))
    for page, index in zip(writer.pages, page_backgrounds, strict=True):
        name, form, call = drawn[index]
        resources = page["/Resources"].get_object()
        if "/XObject" not in resources:
            resources[NameObject("/XObject")] = DictionaryObject()
        resources["/XObject"].get_object()[name] = form
        contents = page["/Contents"]
        own = list(contents.get_object()) if isinstance(contents.get_object(), ArrayObject) \
            else [contents]
        page[NameObject("/Contents")] = ArrayObject([call, *own])


def _stylesheets():
    """The print and fields stylesheets and their font configuration, parsed once per thread.

    WeasyPrint objects are not shared between threads (a threaded server renders at once).
    """
    cached = getattr(_per_thread, "stylesheets", None)
    if cached is None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        fonts = FontConfiguration()
        cached = (CSS(string=STYLESHEET.read_text(encoding="utf-8"), font_config=fonts),
                  CSS(string=FIELDS_STYLESHEET.read_text(encoding="utf-8"), font_config=fonts),
                  fonts)
        _per_thread.stylesheets = cached
    return cached


def _start_worker() -> None:
    """A part's worker: WeasyPrint and the stylesheet loaded once, before the first part."""
    _stylesheets()
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
