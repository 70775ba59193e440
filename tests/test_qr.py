"""QR images: the SVG drawn for pages is exactly the QR code's matrix, in little markup."""
import re

import qrcode
from qrcode.constants import ERROR_CORRECT_M

from hue_literacy.qr import qr_svg

DATA = "https://hue.example/learn/practice-qr/qr-ward-notice/scan-notice.svg"


def matrix_of(data: str, border: int = 4) -> list[list[bool]]:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=border)
    code.add_data(data)
    code.make(fit=True)
    return code.get_matrix()


def test_svg_path_draws_exactly_the_dark_modules():
    svg = qr_svg(DATA)
    expected = matrix_of(DATA)
    size = len(expected)
    drawn = [[False] * size for _ in range(size)]
    for x, y, width in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\d+z", svg):
        for dx in range(int(width)):
            drawn[int(y)][int(x) + dx] = True
    assert drawn == expected
    assert f'viewBox="0 0 {size} {size}"' in svg


def test_svg_is_small_and_has_no_ids_that_could_clash_on_a_page():
    svg = qr_svg(DATA)
    dark = sum(map(sum, matrix_of(DATA)))
    assert len(svg) < dark * 10  # one square per module costs about 20 characters each
    assert " id=" not in svg and "style=" not in svg
