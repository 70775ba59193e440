"""CSV files for spreadsheets: the one writer every export uses, safe to open in Excel.

A cell that starts with `=`, `+`, `-` or `@` (or tab, CR, LF) is read by Excel, LibreOffice
and Google Sheets as a formula: an address typed as `=HYPERLINK("http://...")` would become a
link in the official's spreadsheet (CSV or formula injection). Such a cell is written with a
leading apostrophe, which the spreadsheet shows as plain text and which a reader of the file
can still see. Numbers (int, float) are written as they are, so -3 stays a number.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

DELIMITER = ";"  # the list separator of Excel in Vietnamese (vi-VN) and most of Europe
FORMULA_STARTS = ("=", "+", "-", "@")
CONTROL_STARTS = ("\t", "\r", "\n")


def safe_cell(value: object) -> object:
    """The value as a spreadsheet should read it: never a formula."""
    if not isinstance(value, str) or not value:
        return "" if value is None else value
    if value.startswith(CONTROL_STARTS) or value.lstrip().startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(rows: Iterable[Sequence[object]], delimiter: str = DELIMITER) -> bytes:
    """UTF-8 with a byte order mark (so Excel reads Vietnamese), CRLF line ends, safe cells."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")
