# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, _, fields, models
from odoo.exceptions import UserError


class ProjectTask(models.Model):
    _inherit = "project.task"

    # Accounting users only: a project user without invoicing rights opens the
    # task form without reading account.move.
    intervention_invoice_id = fields.Many2one(
        "account.move",
        string="Parts Invoice",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="account.group_account_invoice",
        help="Draft customer invoice of the billable parts used, created when the "
        "customer signed the report.",
    )

    def _intervention_sign(self, name, signature):
        res = super()._intervention_sign(name, signature)
        self._intervention_invoice_parts()
        return res

    def _intervention_invoice_parts(self):
        """The billable parts of the signed report on one draft customer invoice.

        Exactly once: the link is written in the transaction that signs, and a
        task already linked is skipped. Two concurrent signatures both write the
        signature on the task row, so one of them fails on the row's
        serialization conflict; Odoo's HTTP layer retries it, and the retry sees
        the task signed (and linked) already.

        sudo: the customer signing in the portal (or a technician without
        accounting rights) cannot create invoices; what is invoiced is what the
        signed report lists.
        """
        for task in self.sudo():
            if task.intervention_invoice_id:
                continue
            parts = task.intervention_part_ids.filtered("billable")
            if not parts:
                continue
            partner = (
                task.partner_id or task.helpdesk_ticket_id.partner_id
            ).commercial_partner_id
            if not partner:
                raise UserError(
                    _(
                        "%(task)s: choose a Customer on the task or its ticket, so "
                        "that its billable parts are invoiced when the report is "
                        "signed.",
                        task=task.display_name,
                    )
                )
            company = task.company_id or self.env.company
            origin = " / ".join(
                filter(None, [task.name, task.helpdesk_ticket_id.number])
            )
            # Price and taxes come from account's own computes on the line
            # (product's sales price in the part's unit, product's customer taxes
            # of the company mapped by the partner's fiscal position). The signer
            # (a portal user) is neither its salesperson nor its follower: the
            # salesperson is the customer's, and the creator is not subscribed.
            invoice = (
                self.env["account.move"]
                .sudo()
                .with_company(company)
                .with_context(mail_create_nosubscribe=True)
                .create(
                    {
                        "move_type": "out_invoice",
                        "partner_id": partner.id,
                        "invoice_user_id": partner.user_id.id,
                        "invoice_origin": origin,
                        "invoice_line_ids": [
                            Command.create(
                                {
                                    "product_id": part.product_id.id,
                                    "name": part.name or part.product_id.display_name,
                                    "quantity": part.quantity,
                                    "product_uom_id": part.product_uom_id.id,
                                }
                            )
                            for part in parts
                        ],
                    }
                )
            )
            task.intervention_invoice_id = invoice

    def action_intervention_reset_signature(self):
        """A draft parts invoice goes with the signature (the customer signs the
        corrected report, which invoices it again): deleted, or cancelled if it
        already had a number; a posted one stays and blocks: it is corrected
        with a credit note first."""
        # sudo: the team member resetting the signature may have no accounting
        # rights; only the invoice this signature created is touched.
        for task in self.sudo():
            invoice = task.intervention_invoice_id
            if invoice.state == "posted":
                raise UserError(
                    _(
                        "The parts of %(task)s are invoiced in %(invoice)s, "
                        "already posted: issue a credit note first, then remove "
                        "the signature.",
                        task=task.display_name,
                        invoice=invoice.display_name,
                    )
                )
        res = super().action_intervention_reset_signature()
        for task in self.sudo():
            invoice = task.intervention_invoice_id
            if not invoice:
                continue
            task.intervention_invoice_id = False
            if invoice.state != "draft":
                continue
            invoice.button_cancel()
            # An invoice posted once and reset to draft keeps its number: it
            # stays, cancelled, so that the numbering has no gap.
            if not invoice.posted_before:
                invoice.unlink()
        return res

    def action_view_intervention_invoice(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action.update(
            {
                "views": [(self.env.ref("account.view_move_form").id, "form")],
                "res_id": self.intervention_invoice_id.id,
            }
        )
        return action
