"""Certificate PDFs: data in, bytes out, rendered by WeasyPrint from an HTML template.

One template renders one certificate per A4 landscape page, so a ward's batch is one HTML
document with page breaks (or a few, laid out at once on the machine's cores: pdf_writer).
"""
from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from flask import render_template
from flask_babel import force_locale, format_date
from flask_babel import gettext as _

from hue_literacy.certificates import pdf_writer
from hue_literacy.qr import qr_png_grey

QR_MASK_PATTERN = 2
# 0.7 mm a module is 2 pixels in a 72 dpi render (a PDF preview on a screen), which zbar
# and phone cameras read; the code (version 12-13 at level Q) is about 50 mm wide.
QR_MODULE_MM = 0.7
QR_ERROR_CORRECTION = "Q"
# The template's indentation between tags: WeasyPrint would make (and then drop) a box for
# each run of it, a few per cent of a page's layout. Text never holds a raw "<" (escaped).
_BETWEEN_TAGS = re.compile(r">\s+<")


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
    signer_title: tuple[str, ...] = ()  # the ward's lines above the official's name


def document_date(day: date, locale: str) -> str:
    """A date as documents write it: "ngày 05 tháng 3 năm 2026", "5 March 2026"."""
    if locale == "vi":
        # Administrative style (Decree 30/2020): days and the months 1 and 2 on two digits.
        month = f"{day.month:02d}" if day.month < 3 else str(day.month)
        return f"ngày {day.day:02d} tháng {month} năm {day.year}"
    return format_date(day, "d MMMM yyyy")


def place_and_date(day: date, locale: str) -> str:
    """The dateline of the signature block: "Huế, ngày 05 tháng 3 năm 2026"."""
    if locale == "vi":
        return f"Huế, {document_date(day, locale)}"
    return _("Hue, %(date)s", date=document_date(day, locale))


def printed_date(day: date | None, locale: str) -> str:
    if day is None:
        return ""
    return format_date(day, "dd/MM/yyyy" if locale == "vi" else "d MMMM yyyy")


def qr_data_uri(url: str) -> tuple[str, float]:
    """The QR as a grey PNG of 2 pixels a module, drawn without smoothing, and its width (mm).

    0.7 mm a module is what makes it decode from a 72 dpi render: the 34 mm code of before
    (0.5 mm a module) failed below 110 dpi. The print stylesheet asks for no smoothing
    (`image-rendering: pixelated`, /Interpolate false in the PDF). One pixel a module failed
    to decode on 8 pages in 50 at 72 dpi (the preview rounds some modules to one dot);
    2 decode on all. Grey, not 1-bit RGB at 4 pixels a module as before: WeasyPrint embeds
    it without re-encoding (that cost a tenth of a page's CPU); a vector (SVG) code cost
    2.4 times the CPU per page. The quiet zone is 2 modules in the image plus the white
    paper around it; a fixed mask pattern makes the code 4 times faster to build.
    """
    png, modules = qr_png_grey(url, border=2, mask_pattern=QR_MASK_PATTERN,
                               error_correction=QR_ERROR_CORRECTION, pixels_per_module=2)
    return "data:image/png;base64," + base64.b64encode(png).decode(), modules * QR_MODULE_MM


def render_html(certificates: Sequence[PrintedCertificate], locale: str) -> str:
    """The HTML of the document, one certificate per page, in `locale`."""
    with force_locale(locale):
        pages = []
        for certificate in certificates:
            qr, qr_mm = qr_data_uri(certificate.verify_url)
            pages.append({
                "certificate": certificate,
                "qr": qr,
                "qr_mm": qr_mm,
                "dateline": place_and_date(certificate.issued_on, locale),
                "birth_date": printed_date(certificate.birth_date, locale),
            })
        html = render_template("certificates/print.html", pages=pages, locale=locale)
    return _BETWEEN_TAGS.sub("><", html)


def render_pdf(certificates: Sequence[PrintedCertificate], locale: str = "vi",
               processes: int = 1) -> bytes:
    """A PDF with one certificate per A4 landscape page, in `locale` (Vietnamese by default).

    With `processes` > 1 (0: one per core) a big batch is laid out in parts on that many
    cores at once and joined (pdf_writer); each part's HTML is made here, with the app's
    templates and catalogues.
    """
    if not certificates:
        raise ValueError("nothing to print")
    processes = processes or pdf_writer.usable_cores()
    bounds = pdf_writer.part_bounds(len(certificates), processes)
    if len(bounds) == 1:
        return pdf_writer.write_pdf(render_html(certificates, locale))
    parts = (render_html(certificates[start:stop], locale) for start, stop in bounds)
    return pdf_writer.write_pdf_in_parts(parts, processes)
