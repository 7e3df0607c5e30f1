# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Files uploaded from the portal (new ticket form and replies), checked the same way
in both places before anything is written."""

from pathlib import PurePosixPath

from odoo import _
from odoo.http import request
from odoo.tools.mimetypes import guess_mimetype

from ..models import portal_checks

ACCEPT = ",".join(sorted(portal_checks.ALLOWED_EXTENSIONS))


def max_bytes(company):
    return company.qubiq_portal_max_attachment_mb * 1024 * 1024


def problem_message(code, filename, company):
    return request.env["ir.attachment"]._qubiq_portal_problem_message(
        code, filename, company
    )


def read_uploads(field_name, company):
    """([(filename, bytes)], [error messages]) of the files posted in
    ``field_name``. Nothing is kept when one of them is refused: the caller shows
    the errors and writes nothing."""
    uploads = [
        upload
        for upload in request.httprequest.files.getlist(field_name)
        if upload.filename
    ]
    if len(uploads) > portal_checks.MAX_FILES:
        return [], [
            _(
                "Attachments: attach at most %(max)s files at a time (you chose "
                "%(count)s).",
                max=portal_checks.MAX_FILES,
                count=len(uploads),
            )
        ]
    limit = max_bytes(company)
    files, errors = [], []
    for upload in uploads:
        filename = PurePosixPath(upload.filename.replace("\\", "/")).name or "file"
        # Read one byte more than allowed: enough to refuse, never the whole of a
        # huge upload.
        data = upload.read(limit + 1)
        mimetype = guess_mimetype(data) if len(data) <= limit else ""
        code = portal_checks.attachment_problem(
            filename, len(data), mimetype, data[:4096], limit
        )
        if code:
            errors.append(problem_message(code, filename, company))
        else:
            files.append((filename, data))
    return files, errors
