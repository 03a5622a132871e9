"""Safe, streamed spreadsheets: CSV by the csv module, XLSX by openpyxl's write-only mode.

Rows come from generators, so a large export never sits in memory whole. Text that a
spreadsheet would run as a formula (= + - @, tab, carriage return) is never executed: in CSV it
gets a leading apostrophe; in XLSX it is stored as a text cell marked "quote prefix", so the
spreadsheet shows it as typed, without the apostrophe.

A CSV is for programs: codes and ISO 8601 times with their offset. An XLSX is for people:
headings and codes in words, times as real date-time cells in the event's local time (beside a
timezone column), a frozen header row and a filter on every column.
"""
import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATE_TIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = "yyyy-mm-dd"


@dataclass(frozen=True)
class Column:
    """A column of an export: `name` heads the CSV, `heading` the XLSX; `words` turns codes into words;
    `number_format` shows a number as people read it in the XLSX ("0.0%" for a share)."""

    name: str
    heading: str
    words: dict = field(default_factory=dict)
    number_format: str = ""


def _name(column):
    return column.name if isinstance(column, Column) else column


def safe_cell(value):
    """A value fit for a CSV cell: text that could be a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_stream(header, rows):
    """UTF-8 CSV text, a line at a time: the header, then each row made safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def take():
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)
        return text

    writer.writerow([_name(column) for column in header])
    yield take()
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
        yield take()


def _xlsx_cell(sheet, column, value):
    from openpyxl.cell import WriteOnlyCell

    if isinstance(column, Column) and column.words and isinstance(value, str):
        value = column.words.get(value, value)
    if isinstance(value, bool):
        value = "Yes" if value else "No"
    elif isinstance(value, Decimal):
        value = float(value)
    cell = WriteOnlyCell(sheet, value=None if value == "" else value)
    if isinstance(value, datetime):
        # A spreadsheet keeps no zone: the event's local time, with its timezone in a column of its own.
        cell.value = value.replace(tzinfo=None)
        cell.number_format = DATE_TIME_FORMAT
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT
    elif isinstance(value, (int, float)) and isinstance(column, Column) and column.number_format:
        cell.number_format = column.number_format
    elif isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.value = value
        cell.data_type = "s"  # text, never a formula
        cell.quotePrefix = True
    return cell


def xlsx_stream(sheet_title, columns, rows, chunk_size=64 * 1024):
    """An XLSX workbook written by openpyxl's write-only mode to a temporary file (so memory stays
    flat however many rows), then sent in chunks."""
    import tempfile

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    sheet.freeze_panes = "A2"
    headings = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.heading if isinstance(column, Column) else column)
        cell.font = Font(bold=True)
        headings.append(cell)
    sheet.append(headings)
    count = 0
    for row in rows:
        sheet.append([_xlsx_cell(sheet, column, value) for column, value in zip(columns, row)])
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
    with tempfile.TemporaryFile() as handle:
        workbook.save(handle)
        handle.seek(0)
        while chunk := handle.read(chunk_size):
            yield chunk
