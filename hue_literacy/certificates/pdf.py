"""Certificate PDFs: data in, bytes out, rendered by WeasyPrint from an HTML template.

One template renders one certificate per A4 landscape page, so a ward's batch is one HTML
document with page breaks, laid out and written in one pass.
"""
from __future__ import annotations

import base64
import gc
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask import render_template
from flask_babel import force_locale, format_date
from flask_babel import gettext as _

from hue_literacy.qr import qr_png

STYLESHEET = Path(__file__).parent / "templates" / "certificates" / "print.css"
QR_MASK_PATTERN = 2


@dataclass(frozen=True)
class PrintedCertificate:
    """Everything printed on one certificate, with texts already in the document's language."""

    serial: str
    code: str
    learner_name: str
    birth_date: date | None
    ward_name: str
    framework_title: str
    framework_id: str
    framework_version: int
    profile_name: str
    competencies: tuple[tuple[str, str], ...]  # (id, what the learner can do)
    issued_on: date
    official_name: str
    verify_url: str
    lookup_url: str
    revoked: bool = False


def place_and_date(day: date, locale: str) -> str:
    """The dateline of the signature block: "Huế, ngày 05 tháng 3 năm 2026"."""
    if locale == "vi":
        # Administrative style (Decree 30/2020): days and the months 1 and 2 on two digits.
        month = f"{day.month:02d}" if day.month < 3 else str(day.month)
        return f"Huế, ngày {day.day:02d} tháng {month} năm {day.year}"
    return _("Hue, %(date)s", date=format_date(day, "d MMMM yyyy"))


def printed_date(day: date | None, locale: str) -> str:
    if day is None:
        return ""
    return format_date(day, "dd/MM/yyyy" if locale == "vi" else "d MMMM yyyy")


def qr_data_uri(url: str) -> str:
    """The QR as a tiny PNG, one pixel per module, drawn without smoothing at its printed size.

    The quiet zone is 2 modules in the image plus the white paper around it; a fixed mask
    pattern makes the code 4 times faster to build, which counts in a batch of hundreds.
    """
    png = qr_png(url, box_size=1, border=2, mask_pattern=QR_MASK_PATTERN)
    return "data:image/png;base64," + base64.b64encode(png).decode()


def render_html(certificates: Sequence[PrintedCertificate], locale: str) -> str:
    """The HTML of the document, one certificate per page, in `locale`."""
    with force_locale(locale):
        pages = [
            {
                "certificate": certificate,
                "qr": qr_data_uri(certificate.verify_url),
                "dateline": place_and_date(certificate.issued_on, locale),
                "birth_date": printed_date(certificate.birth_date, locale),
            }
            for certificate in certificates
        ]
        return render_template("certificates/print.html", pages=pages, locale=locale)


def render_pdf(certificates: Sequence[PrintedCertificate], locale: str = "vi") -> bytes:
    """A PDF with one certificate per A4 landscape page, in `locale` (Vietnamese by default)."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    if not certificates:
        raise ValueError("nothing to print")
    with _without_cycle_collection():
        document = render_html(certificates, locale)
        fonts = FontConfiguration()
        stylesheet = CSS(string=STYLESHEET.read_text(encoding="utf-8"), font_config=fonts)
        html = HTML(string=document, url_fetcher=_only_embedded())
        return html.write_pdf(stylesheets=[stylesheet], font_config=fonts)


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
