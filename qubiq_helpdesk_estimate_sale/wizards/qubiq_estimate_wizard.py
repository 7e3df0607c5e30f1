# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext

from odoo.addons.qubiq_hours_bank.models import hours_engine

from ..models import estimate_engine


class QubiqEstimateWizard(models.TransientModel):
    """Write the estimate of a new requirement and send it as a quotation."""

    _name = "qubiq.estimate.wizard"
    _description = "Estimate of a new requirement"

    ticket_id = fields.Many2one("helpdesk.ticket", required=True, ondelete="cascade")
    hours = fields.Float(string="Estimated hours", required=True)
    rounded_hours = fields.Float(
        string="Quoted hours",
        compute="_compute_rounded_hours",
        help="The estimated hours rounded up to the billing blocks (e.g. 30-minute "
        "blocks with a 30-minute minimum).",
    )
    description = fields.Html(string="Work to be done", required=True)
    product_id = fields.Many2one(
        "product.product",
        string="Development product",
        domain=[("type", "=", "service")],
        compute="_compute_product_id",
        store=True,
        readonly=False,
    )
    validity_days = fields.Integer(string="Valid for (days)", default=30)
    line_ids = fields.One2many(
        "qubiq.estimate.wizard.line", "wizard_id", string="Other lines"
    )

    @api.depends("ticket_id")
    def _compute_product_id(self):
        for wizard in self:
            wizard.product_id = wizard.ticket_id.team_id._estimate_product()

    @api.depends("hours", "ticket_id")
    def _compute_rounded_hours(self):
        for wizard in self:
            block, minimum = wizard._rounding_rule()
            wizard.rounded_hours = estimate_engine.rounded_hours(
                max(wizard.hours, 0.0), block, minimum, hours_engine.billed_seconds
            )

    def _bank(self):
        """The customer's hours bank in the ticket's company, if any."""
        ticket = self.ticket_id
        # sudo: agents quote without reading the bank itself; only its existence and
        # billing rule are used.
        return (
            self.env["qubiq.hours.bank"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", ticket.partner_id.commercial_partner_id.id),
                    ("company_id", "=", ticket.company_id.id),
                ],
                limit=1,
            )
        )

    def _rounding_rule(self):
        """(block, minimum) in minutes: the customer's bank rule, else the
        company's default billing rule."""
        bank = self._bank() if self.ticket_id.partner_id else None
        if bank:
            return bank.block_minutes, bank.minimum_minutes
        company = self.ticket_id.company_id or self.env.company
        return company.qubiq_hours_block_minutes, company.qubiq_hours_minimum_minutes

    def _check(self):
        ticket = self.ticket_id
        if self.hours <= 0:
            raise UserError(
                _(
                    "Estimated hours: enter the hours of %(ticket)s (more than 0) "
                    "before sending the estimate.",
                    ticket=ticket.display_name,
                )
            )
        if not ticket.partner_id:
            raise UserError(
                _(
                    "Customer: set the customer of %(ticket)s before sending it an "
                    "estimate.",
                    ticket=ticket.display_name,
                )
            )
        if not self.product_id:
            self.product_id = ticket.team_id._estimate_product()
        if not self.product_id:
            raise UserError(
                _(
                    "Development product: set the service product that prices the "
                    "estimates in the team %(team)s or in the helpdesk settings.",
                    team=ticket.team_id.display_name,
                )
            )
        if ticket.estimate_state == "approved":
            raise UserError(
                _(
                    "Estimate: the customer already accepted the estimate of "
                    "%(ticket)s; it cannot be replaced.",
                    ticket=ticket.display_name,
                )
            )

    def _order_lines(self, customer):
        hours = self.rounded_hours
        bank = self._bank()
        from_bank = bool(bank) and self.ticket_id.company_id.qubiq_estimate_from_bank
        lines = [
            Command.create(
                {
                    "product_id": self.product_id.id,
                    "name": "\n".join(
                        (self.ticket_id.display_name, html2plaintext(self.description))
                    ),
                    "product_uom_qty": hours,
                    **({"price_unit": 0.0} if from_bank else {}),
                }
            )
        ]
        if from_bank:
            lines.append(
                Command.create(
                    {
                        "display_type": "line_note",
                        "name": _(
                            "The %(hours)s hours of this estimate are consumed from "
                            "your hours bank; they are not invoiced apart.",
                            hours=hours_engine.format_hours(hours),
                        ),
                    }
                )
            )
        for line in self.line_ids:
            values = {
                "product_id": line.product_id.id,
                "product_uom_qty": line.quantity,
            }
            if line.name:
                values["name"] = line.name
            if line.price_unit:
                values["price_unit"] = line.price_unit
            lines.append(Command.create(values))
        return lines

    def action_send(self):
        """Create the quotation, supersede the previous one and e-mail it with
        Odoo's quotation mail (portal link, signature)."""
        self.ensure_one()
        self._check()
        ticket = self.ticket_id
        customer = ticket.partner_id.commercial_partner_id
        # sudo: helpdesk agents quote without being salespeople; the quotation is
        # created from the wizard's checked values only.
        order = (
            self.env["sale.order"]
            .sudo()
            .with_company(ticket.company_id)
            .create(
                {
                    "partner_id": customer.id,
                    "company_id": ticket.company_id.id,
                    "ticket_id": ticket.id,
                    "estimate_hours": self.rounded_hours,
                    "origin": ticket.number or ticket.display_name,
                    "client_order_ref": ticket.name,
                    "user_id": (ticket.user_id or self.env.user).id,
                    "require_signature": True,
                    "require_payment": False,
                    "validity_date": fields.Date.add(
                        fields.Date.context_today(self), days=self.validity_days or 30
                    ),
                    "order_line": self._order_lines(customer),
                }
            )
        )
        ticket._estimate_supersede(order)
        ticket.write(
            {
                "estimate_order_id": order.id,
                "estimate_hours": self.rounded_hours,
                "estimate_state": "sent",
                "estimate_decline_reason": False,
                "estimate_warned_percent": 0,
            }
        )
        # The contact who opened the ticket follows the quotation: Odoo's mail
        # reaches the customer (partner_to) and its followers.
        order.message_subscribe(partner_ids=ticket.partner_id.ids)
        template = self.env.ref("sale.email_template_edi_sale")
        order.with_context(mark_so_as_sent=True).message_post_with_source(
            template,
            email_layout_xmlid="mail.mail_notification_layout_with_responsible_signature",
            subtype_xmlid="mail.mt_comment",
        )
        ticket.message_post(
            body=_(
                "Estimate %(order)s sent to the customer: %(hours)s h.",
                order=order._get_html_link(),
                hours=hours_engine.format_hours(self.rounded_hours),
            ),
            subtype_xmlid="mail.mt_note",
        )
        return {"type": "ir.actions.act_window_close"}


class QubiqEstimateWizardLine(models.TransientModel):
    _name = "qubiq.estimate.wizard.line"
    _description = "Other line of an estimate"

    wizard_id = fields.Many2one(
        "qubiq.estimate.wizard", required=True, ondelete="cascade"
    )
    product_id = fields.Many2one("product.product", required=True)
    name = fields.Char(string="Description")
    quantity = fields.Float(default=1.0, required=True)
    price_unit = fields.Float(string="Unit price")
