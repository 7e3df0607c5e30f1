# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the customer portal accepts and shows, as plain Python (no Odoo import).

The controllers and models call these once per request with plain values; the tests
under ``tests/pure`` run them without Odoo.

- ``attachment_problem``: is an uploaded file acceptable (size, extension, content)?
- ``reopen_deadline`` / ``can_reopen``: the window in which a customer may reopen a
  ticket they consider solved.
- ``rate_limited``: has a contact sent too many tickets or messages lately?
- ``sla_rows``: the SLA clock as the customer may see it, from the stored fields that
  ``qubiq_helpdesk_sla`` computes (no working time is computed here).
"""

from datetime import timedelta
from pathlib import PurePosixPath

# Extension -> how the sniffed content must look. "image"/"pdf"/"zip" are checked
# against the sniffed mimetype; "text" files must decode as text (no NUL bytes).
ALLOWED_EXTENSIONS = {
    ".png": "image",
    ".jpg": "image",
    ".jpeg": "image",
    ".gif": "image",
    ".webp": "image",
    ".bmp": "image",
    ".pdf": "pdf",
    ".txt": "text",
    ".log": "text",
    ".csv": "text",
    ".json": "text",
    ".xml": "text",
    ".eml": "text",
    ".xlsx": "zip",
    ".docx": "zip",
    ".pptx": "zip",
    ".ods": "zip",
    ".odt": "zip",
    ".zip": "zip",
    ".xls": "binary",
    ".doc": "binary",
    ".mp4": "binary",
    ".webm": "binary",
}
# Content never accepted whatever the file is called: it could run in a browser.
BLOCKED_MIMETYPES = {
    "image/svg+xml",
    "text/html",
    "application/xhtml+xml",
    "application/javascript",
    "text/javascript",
    "application/x-msdownload",
    "application/x-dosexec",
}
_ZIP_MIMETYPES = ("application/zip", "application/vnd.openxmlformats-officedocument")
_ODF = "application/vnd.oasis.opendocument"
MAX_FILES = 10


def extension(filename):
    return PurePosixPath((filename or "").replace("\\", "/")).suffix.lower()


def looks_like_text(head):
    """True when the first bytes of a file read as text (UTF-8 or Latin-1): no NUL
    byte and hardly any control character besides tabs and line breaks. A .txt that
    is really a program or an archive is refused."""
    if b"\x00" in head:
        return False
    controls = sum(1 for byte in head if byte < 9 or 13 < byte < 32)
    return controls * 100 <= len(head)


def attachment_problem(filename, size, mimetype, head, max_bytes):
    """Code of what is wrong with an uploaded file, or None when it is acceptable.

    ``size`` in bytes, ``mimetype`` as sniffed from the content, ``head`` the first
    bytes (a few KB are enough), ``max_bytes`` the largest accepted size.
    Codes: 'empty', 'too_big', 'extension', 'content'.
    """
    if not size:
        return "empty"
    if max_bytes and size > max_bytes:
        return "too_big"
    kind = ALLOWED_EXTENSIONS.get(extension(filename))
    if kind is None:
        return "extension"
    mimetype = (mimetype or "").lower()
    if mimetype in BLOCKED_MIMETYPES:
        return "content"
    if kind == "image":
        ok = mimetype.startswith("image/")
    elif kind == "pdf":
        ok = mimetype == "application/pdf"
    elif kind == "zip":
        ok = mimetype.startswith(_ZIP_MIMETYPES) or mimetype.startswith(_ODF)
    elif kind == "text":
        ok = looks_like_text(head or b"")
    else:
        ok = True
    return None if ok else "content"


def reopen_deadline(closed_at, days):
    """Until when a ticket closed at ``closed_at`` may be reopened by the customer;
    None when reopening is disabled (``days`` <= 0) or the close date is unknown."""
    if not closed_at or not days or days <= 0:
        return None
    return closed_at + timedelta(days=days)


def can_reopen(closed_at, days, now):
    deadline = reopen_deadline(closed_at, days)
    return deadline is not None and now <= deadline


def rate_limited(recent_count, limit):
    """True when ``recent_count`` items were already sent in the window and the
    ``limit`` (<= 0: no limit) is reached."""
    return bool(limit and limit > 0 and recent_count >= limit)


def sla_rows(
    now,
    response_deadline=None,
    first_response_date=None,
    resolution_deadline=None,
    closed=False,
    closed_date=None,
    paused=False,
    has_sla=None,
):
    """The SLA clock as the customer sees it: a list of (kind, status, when).

    kind: 'response' or 'resolution'. status: 'done' (answered / solved at
    ``when``), 'due' (expected by ``when``), 'late' (``when`` has passed), 'paused'
    (waiting for the customer's answer; ``when`` is the deadline as it stood, or
    None while the pause lasts). ``has_sla``: the ticket has SLA clocks (default:
    it has a deadline); a clock without a deadline is left out unless paused; the
    resolution of a closed ticket is 'done' at its close date.
    """
    if has_sla is None:
        has_sla = bool(response_deadline or resolution_deadline or first_response_date)
    if not has_sla:
        return []
    rows = []
    if first_response_date:
        rows.append(("response", "done", first_response_date))
    elif not closed and (response_deadline or paused):
        rows.append(
            ("response", _running(now, response_deadline, paused), response_deadline)
        )
    if closed:
        if closed_date:
            rows.append(("resolution", "done", closed_date))
    elif resolution_deadline or paused:
        rows.append(
            (
                "resolution",
                _running(now, resolution_deadline, paused),
                resolution_deadline,
            )
        )
    return rows


def _running(now, deadline, paused):
    if paused:
        return "paused"
    return "late" if deadline < now else "due"
