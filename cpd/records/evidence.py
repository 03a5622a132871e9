"""What an evidence file is, told by its content (its signature), never by its name."""
import io
import zipfile

ALLOWED = "PDF, PNG, JPEG, plain text or Word (DOCX)"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TYPES = ("application/pdf", "image/png", "image/jpeg", DOCX, "text/plain")


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
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        return False
    return "[Content_Types].xml" in names and "word/document.xml" in names


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
