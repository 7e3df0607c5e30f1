# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import binascii
import io
import re

from PIL import Image

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import is_html_empty

# A drawn signature is a few KB: refuse anything far larger before decoding it.
SIGNATURE_MAX_BYTES = 2 * 1024 * 1024
SIGNATURE_MAX_PIXELS = 4000 * 4000

# Fields a portal user may read on the tasks they follow (project restricts
# portal users to a whitelist of task fields).
PORTAL_READABLE_FIELDS = {
    "helpdesk_ticket_id",
    "intervention_sign_required",
    "intervention_report",
    "intervention_signature",
    "intervention_signed_by",
    "intervention_signed_on",
    "intervention_state",
    "intervention_ready",
    "worksheet_template_id",
    "worksheet_answer_ids",
    "intervention_part_ids",
    "worksheet_start",
    "worksheet_end",
    "worksheet_hours",
}

# What the customer signs: changing it after the signature would make the
# signature vouch for something else.
SIGNED_FIELDS = (
    "intervention_report",
    "intervention_sign_required",
    "intervention_ready",
    "worksheet_template_id",
    "worksheet_answer_ids",
    "intervention_part_ids",
)


class ProjectTask(models.Model):
    _inherit = "project.task"

    helpdesk_ticket_id = fields.Many2one(
        "helpdesk.ticket",
        index="btree_not_null",
        copy=False,
    )
    intervention_sign_required = fields.Boolean(
        string="Customer Signature",
        copy=False,
        help="The customer reads and signs the intervention report in the portal.",
    )
    intervention_report = fields.Html(
        copy=False,
        help="Work done on site, as the customer reads and signs it in the portal.",
    )
    intervention_ready = fields.Boolean(
        string="Report Ready",
        copy=False,
        help="The technician finished the report and the worksheet: the customer "
        "may sign them.",
    )
    intervention_signature = fields.Image(
        copy=False, attachment=True, max_width=1024, max_height=1024
    )
    intervention_signed_by = fields.Char(copy=False)
    intervention_signed_on = fields.Datetime(copy=False)
    intervention_state = fields.Selection(
        [
            ("none", "No Signature"),
            ("draft", "Report to Write"),
            ("to_sign", "To Sign"),
            ("signed", "Signed"),
        ],
        string="Report Status",
        compute="_compute_intervention_state",
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS | PORTAL_READABLE_FIELDS

    @api.depends(
        "intervention_sign_required",
        "intervention_ready",
        "intervention_signature",
    )
    def _compute_intervention_state(self):
        for task in self:
            if task.intervention_signature:
                task.intervention_state = "signed"
            elif not task.intervention_sign_required:
                task.intervention_state = "none"
            elif task.intervention_ready:
                task.intervention_state = "to_sign"
            else:
                task.intervention_state = "draft"

    @api.model_create_multi
    def create(self, vals_list):
        tasks = super().create(vals_list)
        tasks.filtered("intervention_ready")._intervention_check_ready()
        return tasks

    def write(self, vals):
        if any(field in vals for field in SIGNED_FIELDS):
            self._intervention_check_unsigned()
        res = super().write(vals)
        if vals.get("intervention_ready"):
            self._intervention_check_ready()
        return res

    def _intervention_check_unsigned(self):
        """Refuse changing what the customer signed: the report, its worksheet
        answers, parts and time."""
        signed = self.filtered("intervention_signature")
        if signed:
            raise UserError(
                _(
                    "The intervention report of %(task)s was signed by "
                    "%(name)s: it can no longer be changed. Plan a new "
                    "intervention for further work.",
                    task=signed[0].display_name,
                    name=signed[0].intervention_signed_by,
                )
            )

    def _intervention_check_ready(self):
        """The report may go to the customer's signature: it says something and
        every required question of its worksheet is answered."""
        for task in self:
            if is_html_empty(task.intervention_report) and not (
                task.worksheet_answer_ids or task.intervention_part_ids
            ):
                raise UserError(
                    _(
                        "The intervention report of %(task)s is empty: write the "
                        "work done or fill the worksheet before the customer "
                        "signs it.",
                        task=task.display_name,
                    )
                )
            missing = task.worksheet_answer_ids.filtered(
                lambda answer: answer.required and not answer.answered
            )
            if missing:
                raise UserError(
                    _(
                        "The worksheet of %(task)s is not complete. Answer these "
                        "required questions before the customer signs it:\n"
                        "%(questions)s",
                        task=task.display_name,
                        questions="\n".join(
                            f"- {name}" for name in missing.mapped("name")
                        ),
                    )
                )

    def action_intervention_ready(self):
        """The technician hands the report and worksheet over to the customer."""
        for task in self:
            if not task.intervention_sign_required:
                raise UserError(
                    _(
                        "%(task)s is not signed by the customer: tick Customer "
                        "Signature first.",
                        task=task.display_name,
                    )
                )
        self.filtered(lambda task: not task.intervention_ready).write(
            {"intervention_ready": True}
        )
        return True

    def action_intervention_draft(self):
        """Take the report back to complete it before the customer signs."""
        self.write({"intervention_ready": False})
        return True

    def _intervention_has_to_be_signed(self):
        self.ensure_one()
        return self.intervention_state == "to_sign" and self.active

    def _intervention_report_filename(self):
        self.ensure_one()
        name = _("Intervention report %(task)s", task=self.name)
        return re.sub(r"[^\w-]+", "-", name).strip("-")

    def _intervention_sign(self, name, signature):
        """Store the customer's signature of the intervention report.

        Called by the portal route once it checked the visitor's access; the
        signature is a base64 PNG from the portal signature widget.
        """
        self.ensure_one()
        if not self._intervention_has_to_be_signed():
            raise ValidationError(
                _(
                    "The intervention report of %(task)s is not waiting for a "
                    "signature.",
                    task=self.display_name,
                )
            )
        self._intervention_check_ready()
        name = (name or "").strip()
        if not name:
            raise ValidationError(_("Type your full name to sign the report."))
        if not signature:
            raise ValidationError(_("Draw or type your signature to sign the report."))
        self.write(
            {
                "intervention_signature": self._intervention_signature_png(signature),
                "intervention_signed_by": name,
                "intervention_signed_on": fields.Datetime.now(),
            }
        )

    @api.model
    def _intervention_signature_png(self, signature):
        """The posted signature (base64) decoded as a raster image and encoded
        again as PNG: only pixels are kept, never what the visitor sent (an SVG
        may carry a script, any file may carry trailing data)."""
        try:
            data = base64.b64decode(signature, validate=False)
            if len(data) > SIGNATURE_MAX_BYTES:
                raise ValueError("signature too large")
            with Image.open(io.BytesIO(data)) as image:
                if image.width * image.height > SIGNATURE_MAX_PIXELS:
                    raise ValueError("signature too large")
                image.load()
                output = io.BytesIO()
                image.convert("RGBA").save(output, format="PNG")
        except (binascii.Error, OSError, ValueError, Image.DecompressionBombError) as e:
            raise ValidationError(
                _("The signature could not be read: sign again.")
            ) from e
        return base64.b64encode(output.getvalue())

    def _intervention_send_signed_report(self, partners, attachments):
        """E-mail the signed report (``attachments``) to the customer's
        ``partners``: a note on the task sent to them only, from the company
        (mail template ``mail_template_intervention_signed``)."""
        self.ensure_one()
        template = self.env.ref(
            "qubiq_helpdesk_aftersales_intervention.mail_template_intervention_signed",
            raise_if_not_found=False,
        )
        partners = partners.filtered("email")
        if not template or not partners:
            return self.env["mail.message"]
        values = {
            fname: template._render_field(fname, self.ids, compute_lang=True)[self.id]
            for fname in ("subject", "body_html", "email_from")
        }
        company = self.company_id or self.env.company
        # The visitor signing is the current user: notify them all the same.
        return self.with_context(mail_notify_author=True).message_post(
            body=values["body_html"],
            subject=values["subject"],
            author_id=company.partner_id.id,
            email_from=values["email_from"] or None,
            partner_ids=partners.ids,
            attachment_ids=attachments.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
            email_layout_xmlid="mail.mail_notification_light",
        )

    def action_intervention_reset_signature(self):
        """Let the team correct a report: the customer signs it again."""
        self.write(
            {
                "intervention_signature": False,
                "intervention_signed_by": False,
                "intervention_signed_on": False,
            }
        )
        for task in self:
            task.message_post(
                body=_(
                    "Signature of the intervention report removed: the customer "
                    "has to sign it again."
                ),
                subtype_xmlid="mail.mt_note",
            )
