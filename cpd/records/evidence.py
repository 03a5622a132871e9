"""What an evidence file is, told by its content (its signature), never by its name."""
import io
import zipfile

from cpd.core.errors import Invalid

ALLOWED = "PDF, PNG, JPEG, plain text or Word (DOCX)"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TYPES = ("application/pdf", "image/png", "image/jpeg", DOCX, "text/plain")
# A Word file is a zip archive: what it unpacks to is bounded before it is accepted, so a small
# upload that inflates to gigabytes (a zip bomb) is refused. Read from the archive's directory
# only; nothing is ever unpacked (Python's zipfile never inflates an entry past its stated size).
DOCX_MAX_UNPACKED_BYTES = 100 * 1024 * 1024
DOCX_MAX_ENTRIES = 1000
# Ordinary Word XML deflates 10-20 times, a bomb thousands: past a few megabytes, the ratio tells.
DOCX_MAX_RATIO = 200
DOCX_RATIO_CHECKED_FROM = 8 * 1024 * 1024


def detect_type(content):
    """(content type, extension) for an allowed file, or None."""
    if content.startswith(b"%PDF-"):
        return "application/pdf", "pdf"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", "png"
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", "jpg"
    if content.startswith(b"PK\x03\x04") and _is_docx(content):
        return DOCX, "docx"
    if _is_plain_text(content):
        return "text/plain", "txt"
    return None


def _is_docx(content):
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, NotImplementedError):
        return False
    names = {entry.filename for entry in entries}
    if not ("[Content_Types].xml" in names and "word/document.xml" in names):
        return False
    _refuse_a_bomb(entries)
    return True


def _refuse_a_bomb(entries):
    unpacked = sum(entry.file_size for entry in entries)
    packed = sum(entry.compress_size for entry in entries)
    if len(entries) > DOCX_MAX_ENTRIES:
        raise Invalid.on_field("file", f"This Word file holds {len(entries)} parts: at most {DOCX_MAX_ENTRIES} "
                                       "are accepted.")
    inflated = unpacked > DOCX_RATIO_CHECKED_FROM and unpacked > DOCX_MAX_RATIO * max(packed, 1)
    if unpacked > DOCX_MAX_UNPACKED_BYTES or inflated:
        raise Invalid.on_field("file", f"This Word file unpacks to {unpacked // (1024 * 1024)} MB: at most "
                                       f"{DOCX_MAX_UNPACKED_BYTES // (1024 * 1024)} MB, at most "
                                       f"{DOCX_MAX_RATIO} times its size, is accepted.")


def _is_plain_text(content):
    if not content or b"\x00" in content:
        return False
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    # Refuse markup that a browser would run if the file were ever shown inline.
    head = text.lstrip()[:512].lower()
    return not head.startswith(("<!doctype", "<html", "<svg", "<?xml", "<script"))
