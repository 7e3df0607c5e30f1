# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import Command, _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date


class QubiqHelpdeskCouponWizard(models.TransientModel):
    _name = "qubiq.helpdesk.coupon.wizard"
    _description = "Generate a Coupon from a Helpdesk Ticket"

    ticket_id = fields.Many2one("helpdesk.ticket", required=True, readonly=True)
    partner_id = fields.Many2one(related="ticket_id.partner_id", string="Customer")
    program_id = fields.Many2one(
        "loyalty.program",
        string="Coupon Program",
        required=True,
        domain="[('program_type', '=', 'coupons')]",
    )
    valid_until = fields.Date(help="Leave empty for a coupon that never expires.")
    coupon_id = fields.Many2one("loyalty.card", readonly=True)
    coupon_code = fields.Char(related="coupon_id.code")

    @api.constrains("valid_until")
    def _check_valid_until(self):
        today = fields.Date.context_today(self)
        for wizard in self:
            if wizard.valid_until and wizard.valid_until < today:
                raise ValidationError(
                    _(
                        "The coupon cannot expire in the past (%(date)s).",
                        date=wizard.valid_until,
                    )
                )

    @api.constrains("program_id")
    def _check_program_id(self):
        for wizard in self:
            if wizard.program_id.program_type != "coupons":
                raise ValidationError(
                    _(
                        "%(program)s is not a coupon program.",
                        program=wizard.program_id.display_name,
                    )
                )

    def _generate_coupon(self):
        """Create the single-use coupon of the ticket's customer (once)."""
        self.ensure_one()
        ticket = self.ticket_id
        ticket._aftersales_check_enabled("use_aftersales_coupon")
        ticket._aftersales_check_partner()
        self._check_valid_until()
        if self.coupon_id:
            return self.coupon_id
        # Only Sales managers may create loyalty cards. The team enables
        # coupons for its agents (sales users: they read the card afterwards);
        # sudo() creates exactly one card of a coupon program, for the ticket's
        # customer, with the program's usual single point, nothing else.
        generator = (
            self.env["loyalty.generate.wizard"]
            .sudo()
            .new(
                {
                    "program_id": self.program_id.id,
                    "mode": "selected",
                    "customer_ids": [Command.set(ticket.partner_id.ids)],
                    "coupon_qty": 1,
                    "points_granted": 1,
                    "valid_until": self.valid_until,
                }
            )
        )
        vals = generator._get_coupon_values(ticket.partner_id)
        vals["helpdesk_ticket_id"] = ticket.id
        coupon = self.env["loyalty.card"].sudo().create(vals).sudo(False)
        self.coupon_id = coupon
        ticket._aftersales_log(coupon, _("Coupon generated"))
        return coupon

    def action_generate(self):
        self._generate_coupon()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": _("Coupon"),
        }

    def _coupon_mail_body(self, coupon):
        """Body of the e-mail giving ``coupon`` to the customer."""
        expiry = (
            _(
                "Valid until %(date)s.",
                date=format_date(self.env, coupon.expiration_date),
            )
            if coupon.expiration_date
            else _("It does not expire.")
        )
        return Markup("<p>%s</p><p><strong>%s</strong></p><p>%s</p>") % (
            _(
                "Please accept this coupon (%(program)s) for ticket %(ticket)s:",
                program=coupon.program_id.name,
                ticket=self.ticket_id.number,
            ),
            coupon.code,
            expiry,
        )

    def action_send_mail(self):
        """Open the composer on the ticket, to its followers, with the code."""
        coupon = self._generate_coupon()
        ticket = self.ticket_id
        return {
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "target": "new",
            "name": _("Send the Coupon"),
            "context": {
                "default_model": "helpdesk.ticket",
                "default_res_ids": ticket.ids,
                "default_composition_mode": "comment",
                "default_subject": _("Your coupon for ticket %s", ticket.number),
                "default_body": self._coupon_mail_body(coupon),
                # the ticket's followers, and its customer even when not one
                "default_partner_ids": (
                    ticket.message_partner_ids | ticket.partner_id
                ).ids,
            },
        }
