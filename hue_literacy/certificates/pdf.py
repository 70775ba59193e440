"""Certificate PDFs: data in, bytes out, rendered by WeasyPrint from an HTML template.

A certificate is two pages drawn one over the other: what the certificates of a batch share
(print.html: headings, statement, competencies, signer), laid out once per distinct key, and
its learner's own fields (fields.html: serial, name, birth date, QR, code, date), one page
each in one document (or a few, laid out at once on the machine's cores: pdf_writer).
"""
from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
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
_SAMPLE_DAY = date(2000, 1, 1)


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


def background_key(certificate: PrintedCertificate) -> tuple:
    """What the shared page of a certificate shows: certificates with the same key share it."""
    c = certificate
    return (c.ward_name, c.framework_title, c.framework_version, c.profile_name, c.competencies,
            c.official_name, c.signer_title, c.lookup_url, c.birth_date is not None)


def name_size(name: str) -> str:
    """The size class of a name: smaller when it would not fit the one line of its box.

    The shared page keeps one line of 23 pt for the name, 248 mm wide. A Noto Serif Bold
    letter of a Vietnamese name is at most 0.6 em on average (spaces and capitals counted), so
    50 letters fit at 23 pt; a longer name gets a smaller size and, past 88, two lines.
    """
    for most, size in _NAME_SIZES:
        if len(name) <= most:
            return size
    return " name--two-lines"


_NAME_SIZES = ((50, ""), (58, " name--20"), (68, " name--17"), (88, " name--14"))


def _page(certificate: PrintedCertificate, locale: str, background: int = 0,
          qr: bool = True) -> dict:
    page = {
        "certificate": certificate,
        "background": background,
        "name_size": name_size(certificate.learner_name),
        "dateline": place_and_date(certificate.issued_on, locale),
        "birth_date": printed_date(certificate.birth_date, locale),
    }
    if qr:
        page["qr"], page["qr_mm"] = qr_data_uri(certificate.verify_url)
    return page


def render_background_html(certificate: PrintedCertificate, locale: str) -> str:
    """The page shared by the certificates of `certificate`'s key, its own fields hidden.

    The hidden slots hold the same sample text for every learner (one line each, as theirs),
    so the HTML depends on the key alone and pdf_writer reuses the laid-out page: printing
    certificates one by one, each lays out only its fields after the ward's first.
    """
    sample = replace(certificate, serial="HUE-0", code="0", learner_name="", verify_url="",
                     issued_on=_SAMPLE_DAY, revoked=False,
                     birth_date=_SAMPLE_DAY if certificate.birth_date else None)
    with force_locale(locale):
        html = render_template("certificates/print.html", locale=locale,
                               pages=[_page(sample, locale, qr=False)])
    return _BETWEEN_TAGS.sub("><", html)


def render_fields_html(certificates: Sequence[PrintedCertificate], backgrounds: Sequence[int],
                       locale: str) -> str:
    """The HTML of each certificate's own fields, a page each, over background `backgrounds[i]`."""
    with force_locale(locale):
        pages = [_page(certificate, locale, background)
                 for certificate, background in zip(certificates, backgrounds, strict=True)]
        html = render_template("certificates/fields.html", pages=pages, locale=locale)
    return _BETWEEN_TAGS.sub("><", html)


def render_pdf(certificates: Sequence[PrintedCertificate], locale: str = "vi",
               processes: int = 1) -> bytes:
    """A PDF with one certificate per A4 landscape page, in `locale` (Vietnamese by default).

    What the certificates share (headings, statement, competencies, signer) is laid out once
    per distinct key, a batch of one ward has one or two; each page lays out only its
    learner's fields and is drawn over its shared page (pdf_writer). With `processes` > 1
    (0: one per core) a big batch's fields are laid out in parts on that many cores at once.
    """
    if not certificates:
        raise ValueError("nothing to print")
    keys: dict[tuple, int] = {}
    backgrounds = [keys.setdefault(background_key(c), len(keys)) for c in certificates]
    firsts: dict[int, PrintedCertificate] = {}
    for certificate, index in zip(certificates, backgrounds, strict=True):
        firsts.setdefault(index, certificate)
    shared = [render_background_html(firsts[index], locale) for index in range(len(keys))]
    processes = processes or pdf_writer.usable_cores()
    bounds = pdf_writer.part_bounds(len(certificates), processes)
    parts = (render_fields_html(certificates[start:stop], backgrounds[start:stop], locale)
             for start, stop in bounds)
    return pdf_writer.write_document(shared, parts, backgrounds,
                                     processes if len(bounds) > 1 else 1)
