"""Read a ward's household list from CSV or Excel (.xlsx, with openpyxl) into rows of cells.

Headers are matched loosely (accents, case and spacing ignored; Vietnamese or English), so
the ward's own column titles work as long as they name the same things as the template.
"""
from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from hue_literacy.households.text import fold

# field -> header titles accepted (folded), the first Vietnamese and English ones are written
# into the template.
COLUMNS: dict[str, tuple[str, ...]] = {
    "head": ("chu ho", "household head", "ten chu ho", "head"),
    "address": ("dia chi", "address", "so nha"),
    "alley_group": ("to dan pho", "alley group", "to", "khu pho", "to/khu pho"),
    "member": ("ho ten thanh vien", "member name", "thanh vien", "ho ten", "name"),
    "birth_year": ("nam sinh", "birth year", "ngay sinh", "date of birth"),
    "phone": ("dien thoai", "phone", "so dien thoai", "sdt"),
    "group": ("nhom", "group", "doi tuong"),
}
TEMPLATE_HEADERS = ("Chủ hộ", "Địa chỉ", "Tổ dân phố", "Họ tên thành viên", "Năm sinh",
                    "Điện thoại", "Nhóm")
REQUIRED = ("address", "member")


class FileRefused(ValueError):
    """The file as a whole cannot be read; `message` says why in the official's language."""

    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass
class SheetRow:
    number: int  # as the spreadsheet shows it (the header is row 1)
    cells: dict[str, object]


def read_rows(data: bytes, filename: str) -> list[SheetRow]:
    """The non-blank rows of the file, keyed by field; refuses an unreadable file."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        table = _xlsx_table(data)
    elif name.endswith((".csv", ".txt")):
        table = _csv_table(data)
    else:
        raise FileRefused(_l("Please choose a .csv or .xlsx file."))
    if not table:
        raise FileRefused(_l("The file is empty."))
    columns = _header_columns(table[0])
    missing = [field for field in REQUIRED if field not in columns]
    if missing:
        raise FileRefused(_l(
            "Row 1 must name the columns; missing: %(columns)s. Download the template to see "
            "them.", columns=", ".join(TEMPLATE_HEADERS[list(COLUMNS).index(f)]
                                      for f in missing)))
    rows = []
    for index, values in enumerate(table[1:], start=2):
        cells = {field: values[col] if col < len(values) else None
                 for field, col in columns.items()}
        if all(_blank(value) for value in cells.values()):
            continue
        rows.append(SheetRow(index, cells))
    return rows


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _header_columns(header: list[object]) -> dict[str, int]:
    found: dict[str, int] = {}
    for col, title in enumerate(header):
        key = fold(str(title or "")).strip(" :*")
        for field, titles in COLUMNS.items():
            if key in titles and field not in found:
                found[field] = col
    return found


def _csv_table(data: bytes) -> list[list[object]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRefused(_l("The file is not UTF-8 text. In Excel choose “CSV UTF-8”, "
                             "or upload the .xlsx file.")) from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ";" if text.count(";") >= text.count(",") else ","
    return [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _xlsx_table(data: bytes) -> list[list[object]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise FileRefused(_l("This .xlsx file cannot be opened. Save it again from Excel "
                             "and try once more.")) from None
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def cell_text(value: object) -> str:
    """A cell as text: numbers without '.0', dates as written."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


__all__ = ["COLUMNS", "TEMPLATE_HEADERS", "FileRefused", "SheetRow", "cell_text", "read_rows"]
