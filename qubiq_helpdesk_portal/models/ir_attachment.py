# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64

from odoo import _, api, models
from odoo.exceptions import UserError
from odoo.tools.mimetypes import guess_mimetype

from . import portal_checks

# Models whose files customers may add from the portal: every file a portal or
# public user attaches to them passes the checks of the portal's own forms,
# whatever the route (Odoo's /mail/attachment/upload, the chatter, RPC). A task
# is gated when it was opened from a ticket (the after-sales intervention the
# customer follows and signs in the portal).
PORTAL_GATED_MODELS = ("helpdesk.ticket", "project.task")


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    @api.model_create_multi
    def create(self, vals_list):
        # env.user is the real user even under sudo(): Odoo's upload routes create
        # attachments with sudo on behalf of portal users.
        if self.env.user.share:
            self._qubiq_portal_check_vals(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        # Odoo's chatter uploads a file first (res_model "mail.compose.message")
        # and links it to the ticket after posting: check it when it is linked.
        if self.env.user.share and self._qubiq_portal_gated(
            vals.get("res_model"), vals.get("res_id")
        ):
            company = (
                self.env[vals["res_model"]].sudo().browse(vals["res_id"]).company_id
            )
            # sudo: the files' content is read to check it, nothing is shown.
            files = [(att.name or "", att.raw or b"") for att in self.sudo()]
            errors = self._qubiq_portal_file_errors(files, company or self.env.company)
            if errors:
                raise UserError("\n".join(errors))
        return super().write(vals)

    @api.model
    def _qubiq_portal_check_vals(self, vals_list):
        """Refuse, with the portal's messages, files a portal user attaches to a
        gated record: the reply form's type, size and count rules."""
        by_record = {}
        for vals in vals_list:
            if not vals.get("res_field") and self._qubiq_portal_gated(
                vals.get("res_model"), vals.get("res_id")
            ):
                key = (vals["res_model"], vals["res_id"])
                by_record.setdefault(key, []).append(
                    (vals.get("name") or "", self._qubiq_vals_bytes(vals))
                )
        for (res_model, res_id), files in by_record.items():
            # sudo: only the record's company is read, to know its limits.
            company = self.env[res_model].sudo().browse(res_id).company_id
            errors = self._qubiq_portal_file_errors(files, company or self.env.company)
            if errors:
                raise UserError("\n".join(errors))

    @api.model
    def _qubiq_portal_gated(self, res_model, res_id):
        """Whether a customer's file for this record passes the portal's checks:
        any ticket, and a task opened from a ticket."""
        if (
            res_model not in PORTAL_GATED_MODELS
            or not res_id
            or res_model not in self.env
        ):
            return False
        if res_model == "helpdesk.ticket":
            return True
        # sudo: only the task's link to a ticket is read, to know the rules.
        task = self.env[res_model].sudo().browse(int(res_id)).exists()
        return bool(
            task and "helpdesk_ticket_id" in task._fields and task.helpdesk_ticket_id
        )

    @api.model
    def _qubiq_vals_bytes(self, vals):
        if vals.get("raw"):
            raw = vals["raw"]
            return raw.encode() if isinstance(raw, str) else raw
        if vals.get("datas"):
            return base64.b64decode(vals["datas"])
        return b""

    @api.model
    def _qubiq_portal_file_errors(self, files, company):
        """Translated messages for the files [(filename, bytes)] a customer sends
        at once; empty when all are accepted."""
        if len(files) > portal_checks.MAX_FILES:
            return [
                _(
                    "Attachments: attach at most %(max)s files at a time (you chose "
                    "%(count)s).",
                    max=portal_checks.MAX_FILES,
                    count=len(files),
                )
            ]
        limit = company.qubiq_portal_max_attachment_mb * 1024 * 1024
        errors = []
        for filename, data in files:
            mimetype = guess_mimetype(data) if len(data) <= limit else ""
            code = portal_checks.attachment_problem(
                filename, len(data), mimetype, data[:4096], limit
            )
            if code:
                errors.append(
                    self._qubiq_portal_problem_message(code, filename, company)
                )
        return errors

    @api.model
    def _qubiq_portal_problem_message(self, code, filename, company):
        if code == "empty":
            return _("%(file)s: the file is empty.", file=filename)
        if code == "too_big":
            return _(
                "%(file)s: the file is larger than %(max)s MB. Attach a smaller file, "
                "or crop or compress the screenshot.",
                file=filename,
                max=company.qubiq_portal_max_attachment_mb,
            )
        if code == "extension":
            return _(
                "%(file)s: this type of file is not accepted. Attach screenshots (PNG, "
                "JPG), PDF, text, spreadsheet or office documents.",
                file=filename,
            )
        return _(
            "%(file)s: the content of the file does not match its extension "
            "(%(extension)s).",
            file=filename,
            extension=portal_checks.extension(filename) or "-",
        )
