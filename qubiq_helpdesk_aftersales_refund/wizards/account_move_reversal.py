# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.misc import formatLang

PAID_STATES = ("in_payment", "paid", "partial")


class AccountMoveReversal(models.TransientModel):
    """Odoo's reversal wizard, opened from a helpdesk ticket.

    The ticket only prefills and filters it; the credit notes are made by
    Odoo's own ``reverse_moves`` so the accounting rules stay Odoo's.
    """

    _inherit = "account.move.reversal"

    helpdesk_ticket_id = fields.Many2one("helpdesk.ticket", readonly=True)
    helpdesk_partner_id = fields.Many2one(
        related="helpdesk_ticket_id.commercial_partner_id", string="Customer"
    )
    # Sales orders and lots (Sales, Inventory) filter the invoices in the bridge
    # qubiq_helpdesk_aftersales_refund_sale: this add-on needs Invoicing only.
    helpdesk_product_id = fields.Many2one("product.product", string="Product")
    helpdesk_available_move_ids = fields.Many2many(
        "account.move", compute="_compute_helpdesk_available_move_ids"
    )
    helpdesk_has_payment = fields.Boolean(compute="_compute_helpdesk_has_payment")

    @api.depends("helpdesk_ticket_id", "helpdesk_product_id")
    def _compute_helpdesk_available_move_ids(self):
        for wizard in self:
            ticket = wizard.helpdesk_ticket_id
            if not ticket.partner_id:
                wizard.helpdesk_available_move_ids = False
                continue
            wizard.helpdesk_available_move_ids = self.env["account.move"].search(
                wizard._helpdesk_invoice_domain()
            )

    @api.depends("move_ids.payment_state")
    def _compute_helpdesk_has_payment(self):
        for wizard in self:
            wizard.helpdesk_has_payment = any(
                move.payment_state in PAID_STATES for move in wizard.move_ids
            )

    @api.constrains("move_ids", "helpdesk_ticket_id")
    def _check_helpdesk_move_ids(self):
        for wizard in self.filtered("helpdesk_ticket_id"):
            not_posted = wizard.move_ids.filtered(lambda move: move.state != "posted")
            if not_posted:
                raise ValidationError(
                    _(
                        "Only posted invoices can be refunded; %(invoices)s is not "
                        "posted.",
                        invoices=", ".join(not_posted.mapped("display_name")),
                    )
                )
            domain = wizard.helpdesk_ticket_id._aftersales_refundable_invoice_domain()
            allowed = wizard.move_ids.filtered_domain(domain)
            foreign = wizard.move_ids - allowed
            if foreign:
                raise ValidationError(
                    _(
                        "%(invoices)s is not a posted invoice of customer "
                        "%(customer)s.",
                        invoices=", ".join(foreign.mapped("display_name")),
                        customer=wizard.helpdesk_partner_id.display_name,
                    )
                )

    @api.onchange("helpdesk_available_move_ids")
    def _onchange_helpdesk_available_move_ids(self):
        self.move_ids = self.move_ids & self.helpdesk_available_move_ids._origin
        if not self.move_ids and len(self.helpdesk_available_move_ids) == 1:
            self.move_ids = self.helpdesk_available_move_ids._origin

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        if self.env.context.get("active_model") != "helpdesk.ticket":
            return res
        ticket = self.env["helpdesk.ticket"].browse(self.env.context.get("active_id"))
        ticket.ensure_one()
        ticket._aftersales_check_enabled("use_aftersales_refund")
        res.update(
            helpdesk_ticket_id=ticket.id,
            company_id=ticket.company_id.id,
            reason=ticket.display_name,
        )
        return res

    def _helpdesk_invoice_domain(self):
        """The invoices the wizard offers: posted customer invoices of the ticket's
        customer, narrowed by the filters (here the product; the sales bridge adds
        the order and the lot)."""
        self.ensure_one()
        domain = self.helpdesk_ticket_id._aftersales_refundable_invoice_domain()
        if self.helpdesk_product_id:
            domain.append(
                ("invoice_line_ids.product_id", "=", self.helpdesk_product_id.id)
            )
        return domain

    def _prepare_default_reversal(self, move):
        vals = super()._prepare_default_reversal(move)
        if self.helpdesk_ticket_id:
            vals["helpdesk_ticket_id"] = self.helpdesk_ticket_id.id
        return vals

    def _modify_default_reverse_values(self, origin_move):
        vals = super()._modify_default_reverse_values(origin_move)
        if self.helpdesk_ticket_id:
            vals["helpdesk_ticket_id"] = self.helpdesk_ticket_id.id
        return vals

    def _helpdesk_check_reversal(self, method):
        """Server-side rules for a reversal launched from a ticket."""
        self.ensure_one()
        self.helpdesk_ticket_id._aftersales_check_enabled("use_aftersales_refund")
        if not self.move_ids:
            raise UserError(_("Select at least one invoice to refund."))
        self._check_helpdesk_move_ids()
        if method != "refund" and self.helpdesk_has_payment:
            # A paid invoice cannot be cancelled nor replaced: cancelling would
            # reconcile a credit note against an invoice already settled by a
            # payment. As with Odoo's former "refund method", only a draft
            # credit note is offered.
            raise UserError(
                _(
                    "%(invoices)s already has payments: only a draft credit note "
                    "(Reverse) can be issued.",
                    invoices=", ".join(
                        self.move_ids.filtered(
                            lambda move: move.payment_state in PAID_STATES
                        ).mapped("display_name")
                    ),
                )
            )
        if method == "full" and self.date > fields.Date.context_today(self):
            raise UserError(
                _("A full refund is posted now: the reversal date cannot be later.")
            )

    def reverse_moves(self, is_modify=False):
        if not self.helpdesk_ticket_id:
            return super().reverse_moves(is_modify=is_modify)
        full = self.env.context.get("qubiq_helpdesk_full_refund")
        method = "modify" if is_modify else "full" if full else "refund"
        self._helpdesk_check_reversal(method)
        previous_notes = self.move_ids.reversal_move_id
        action = super().reverse_moves(is_modify=is_modify)
        credit_notes = self.move_ids.reversal_move_id - previous_notes
        if full:
            self._helpdesk_post_and_reconcile(credit_notes)
        ticket = self.helpdesk_ticket_id
        ticket._aftersales_log(
            credit_notes, _("Credit note issued"), label=self._helpdesk_move_label
        )
        new_invoices = self.new_move_ids - credit_notes
        if new_invoices:
            ticket._aftersales_log(
                new_invoices,
                _("Draft invoice created"),
                label=self._helpdesk_move_label,
            )
        return action

    def _helpdesk_move_label(self, move):
        """Chatter link text: number (or draft name) and amount, without the
        long reversal reference of the display name."""
        name = move._get_move_display_name(show_ref=False)
        amount = formatLang(self.env, move.amount_total, currency_obj=move.currency_id)
        return f"{name} ({amount})"

    def _helpdesk_post_and_reconcile(self, credit_notes):
        """Post the credit notes and reconcile them with their invoices.

        Same result as Odoo's ``_reverse_moves(cancel=True)``: the invoice is
        fully settled by its credit note.
        """
        credit_notes.filtered(lambda move: move.state == "draft").action_post()
        for invoice in self.move_ids:
            notes = invoice.reversal_move_id & credit_notes
            lines = (invoice.line_ids + notes.line_ids).filtered(
                lambda line: (
                    line.account_id.account_type == "asset_receivable"
                    and not line.reconciled
                )
            )
            for account in lines.account_id:
                lines.filtered(
                    lambda line, acc=account: line.account_id == acc
                ).reconcile()

    def action_helpdesk_full_refund(self):
        return self.with_context(qubiq_helpdesk_full_refund=True).reverse_moves()
