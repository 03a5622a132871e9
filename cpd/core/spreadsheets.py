"""Safe, streamed spreadsheets: CSV by the csv module, XLSX by openpyxl's write-only mode.

Rows come from generators, so a large export never sits in memory whole. Text that a
spreadsheet would run as a formula (= + - @, tab, carriage return) is neutralised.
"""
import csv
import io
from datetime import date, datetime
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A value fit for a cell: text that could be a formula gets a leading apostrophe."""
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

    writer.writerow(header)
    yield take()
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
        yield take()


def xlsx_stream(sheet_title, header, rows, chunk_size=64 * 1024):
    """An XLSX workbook written by openpyxl's write-only mode to a temporary file (so memory stays
    flat however many rows), then sent in chunks."""
    import tempfile

    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    sheet.append(list(header))
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
    with tempfile.TemporaryFile() as handle:
        workbook.save(handle)
        handle.seek(0)
        while chunk := handle.read(chunk_size):
            yield chunk
