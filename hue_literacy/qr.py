"""QR images from data: SVG for pages (crisp at any zoom), PNG for PDFs and downloads."""
from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from qrcode.constants import ERROR_CORRECT_M


def _code(data: str, border: int, mask_pattern: int | None = None) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=border, mask_pattern=mask_pattern)
    code.add_data(data)
    code.make(fit=True)
    return code


def qr_svg(data: str, border: int = 4) -> str:
    """An inline <svg> element (no XML declaration) that scales to its box."""
    image = _code(data, border).make_image(image_factory=qrcode.image.svg.SvgPathImage)
    svg = image.to_string(encoding="unicode")
    return svg[svg.index("<svg") :]


def qr_png(
    data: str, box_size: int = 10, border: int = 4, mask_pattern: int | None = None
) -> bytes:
    """A PNG; a fixed `mask_pattern` (0-7) skips choosing the best one, 4x faster for batches."""
    code = _code(data, border, mask_pattern)
    code.box_size = box_size
    buffer = io.BytesIO()
    code.make_image().save(buffer, format="PNG")
    return buffer.getvalue()
