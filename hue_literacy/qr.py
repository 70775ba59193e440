"""QR images from data: SVG for pages (crisp at any zoom), PNG for PDFs and downloads."""
from __future__ import annotations

import io

import qrcode
from qrcode.constants import ERROR_CORRECT_M, ERROR_CORRECT_Q

# M (15 % of the code may be lost) for screens; Q (25 %) for paper that gets folded and dirty.
ERROR_CORRECTION = {"M": ERROR_CORRECT_M, "Q": ERROR_CORRECT_Q}


def _code(data: str, border: int, mask_pattern: int | None = None,
          error_correction: str = "M") -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=ERROR_CORRECTION[error_correction], border=border,
                         mask_pattern=mask_pattern)
    code.add_data(data)
    code.make(fit=True)
    return code


def qr_svg(data: str, border: int = 4, module_mm: float = 1.0, error_correction: str = "M",
           mask_pattern: int | None = None) -> str:
    """An inline <svg> element (no XML declaration) that scales to its box.

    Each horizontal run of dark modules is one rectangle of the path, which makes the
    markup about half the size of one square per module (phones pay for every byte).
    Its intrinsic size is `module_mm` per module, which is how large it prints.
    """
    matrix = _code(data, border, mask_pattern, error_correction).get_matrix()  # with quiet zone
    size = len(matrix)
    runs = []
    for y, row in enumerate(matrix):
        x = 0
        while x < size:
            if not row[x]:
                x += 1
                continue
            start = x
            while x < size and row[x]:
                x += 1
            runs.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'width="{size * module_mm:g}mm" height="{size * module_mm:g}mm" '
        'shape-rendering="crispEdges">'
        f'<rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(runs)}"/></svg>'
    )


def qr_png(
    data: str, box_size: int = 10, border: int = 4, mask_pattern: int | None = None,
    error_correction: str = "M",
) -> bytes:
    """A PNG; a fixed `mask_pattern` (0-7) skips choosing the best one, 4x faster for batches."""
    code = _code(data, border, mask_pattern, error_correction)
    code.box_size = box_size
    buffer = io.BytesIO()
    code.make_image().save(buffer, format="PNG")
    return buffer.getvalue()


def qr_png_grey(data: str, border: int = 4, mask_pattern: int | None = None,
                error_correction: str = "M", pixels_per_module: int = 2) -> tuple[bytes, int]:
    """An 8-bit grey PNG of the code, and its width in modules (quiet zone included).

    For documents that size the image themselves: WeasyPrint embeds a grey PNG as it is,
    while qrcode's own 1-bit image is turned into RGB and encoded twice more, which cost a
    certificate page about a tenth of its CPU time.
    """
    from PIL import Image

    matrix = _code(data, border, mask_pattern, error_correction).get_matrix()
    size = len(matrix)
    image = Image.frombytes("L", (size, size),
                            bytes(0 if dark else 255 for row in matrix for dark in row))
    if pixels_per_module > 1:
        side = size * pixels_per_module
        image = image.resize((side, side), Image.Resampling.NEAREST)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue(), size
