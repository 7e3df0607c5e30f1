# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from . import hours_engine as engine

ROUNDING_SCOPES = [
    ("line", "Each timesheet line"),
    ("ticket_day", "Per ticket (or task) and day"),
]
DEVELOPMENT_POLICIES = [
    ("bank", "Consume the hours bank"),
    ("invoice", "Invoice apart"),
]
BALANCE_STATES = [
    ("none", "No hours in force"),
    ("ok", "Available"),
    ("low", "Running low"),
    ("exhausted", "Exhausted"),
    ("overage", "Overage to invoice"),
]


class QubiqHoursBank(models.Model):
    """A customer's hours bank in one company: its packs, its rounding rule and
    warnings, and the consumption of its tickets' and tasks' timesheets.

    This file holds its configuration, fields, lookup and actions; its figures
    (:meth:`_hours_balances`), status and warnings are in
    ``qubiq_hours_bank_balance.py``, and the consumption of timesheets belongs to
    ``qubiq.hours.allocation``.
    """

    _name = "qubiq.hours.bank"
    _description = "Hours bank"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "partner_id, company_id"
    _rec_names_search = ["partner_id"]

    name = fields.Char(compute="_compute_name")
    active = fields.Boolean(default=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        ondelete="restrict",
        domain="[('is_company', '=', True)]",
        help="The customer company; the timesheets on its contacts' tickets consume "
        "this bank.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    account_manager_id = fields.Many2one(
        "res.users",
        compute="_compute_account_manager_id",
        help="The customer's account manager (else its salesperson): receives the "
        "warnings of this bank.",
    )
    # Billing rule: blocks with a minimum (usually 30-minute blocks with a
    # 30-minute minimum, the company's default).
    block_minutes = fields.Integer(
        string="Billing block (minutes)",
        default=lambda self: self.env.company.qubiq_hours_block_minutes,
        tracking=True,
        help="Billed time is rounded up to whole blocks. 0: no rounding.",
    )
    minimum_minutes = fields.Integer(
        string="Minimum billed (minutes)",
        default=lambda self: self.env.company.qubiq_hours_minimum_minutes,
        tracking=True,
        help="Any work is billed at least this time.",
    )
    rounding_scope = fields.Selection(
        ROUNDING_SCOPES,
        string="Round",
        required=True,
        default=lambda self: self.env.company.qubiq_hours_rounding_scope or "line",
        tracking=True,
        help="Each timesheet line on its own, or the total of a ticket (or task) in "
        "a day: three 10-minute lines on one ticket and day bill one 30-minute block "
        "instead of three.",
    )
    development_policy = fields.Selection(
        DEVELOPMENT_POLICIES,
        string="Development time",
        required=True,
        default="bank",
        tracking=True,
        help="Evolutivos and project tasks: consume the prepaid hours like the "
        "rest, or stay out of the bank and be invoiced apart.",
    )
    excess_hours = fields.Float(
        string="Excessive dedication after",
        tracking=True,
        help="Warn the account manager when a ticket takes more than this time "
        "(an evolutivo: more than its estimate). 0: the company's default.",
    )
    lock_date = fields.Date(
        string="Locked until",
        tracking=True,
        help="Timesheets up to this date (statement sent, period closed) can no "
        "longer be changed and their consumption stays as it is.",
    )
    # Counts the consumption passes run after a commit (see
    # qubiq.hours.allocation._hours_rebalance_after_commit), which write it in SQL
    # under the row's lock: a pass that finds the count a transaction read still
    # unchanged knows nothing was consumed since that transaction's snapshot.
    consumption_version = fields.Integer(
        string="Consumption passes", readonly=True, copy=False, default=0
    )
    notify_partner_ids = fields.Many2many(
        "res.partner",
        string="Customer contacts to warn",
        help="Who receives the e-mail when the bank runs low. Empty: the customer.",
    )
    threshold_ids = fields.One2many(
        "qubiq.hours.bank.threshold",
        "bank_id",
        string="Warnings",
        copy=True,
        default=lambda self: self._default_threshold_ids(),
    )
    pack_ids = fields.One2many("qubiq.hours.pack", "bank_id", string="Packs")
    allocation_ids = fields.One2many(
        "qubiq.hours.allocation", "bank_id", string="Consumption"
    )
    timesheet_ids = fields.One2many(
        "account.analytic.line", "hours_bank_id", string="Timesheets"
    )
    balance_state = fields.Selection(
        BALANCE_STATES,
        string="Status",
        default="none",
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    # Figures (hours) from _hours_balances(): all time, positions today.
    contracted_hours = fields.Float(string="Contracted", compute="_compute_balance")
    consumed_real_hours = fields.Float(
        string="Consumed (real)", compute="_compute_balance"
    )
    consumed_billed_hours = fields.Float(
        string="Consumed (billed)", compute="_compute_balance"
    )
    non_billable_hours = fields.Float(
        string="Not billable",
        compute="_compute_balance",
        help="Time logged for the customer and not charged: covered by the "
        "maintenance contract, provider's own error.",
    )
    from_packs_hours = fields.Float(string="From packs", compute="_compute_balance")
    overage_hours = fields.Float(
        string="Overage",
        compute="_compute_balance",
        help="Billed time no pack covered: tracked and billable.",
    )
    direct_hours = fields.Float(
        string="Invoiced apart",
        compute="_compute_balance",
        help="Development time billed outside the bank.",
    )
    not_invoiced_hours = fields.Float(
        string="Not invoiced",
        compute="_compute_balance",
        help="Overage and development time billed apart that no invoice includes yet.",
    )
    development_hours = fields.Float(string="Development", compute="_compute_balance")
    incident_hours = fields.Float(
        string="Incidents and questions", compute="_compute_balance"
    )
    remaining_hours = fields.Float(
        string="Remaining",
        compute="_compute_balance",
        help="Contracted hours still available in the packs in force.",
    )
    expired_hours = fields.Float(
        string="Expired",
        compute="_compute_balance",
        help="Hours of expired packs that were not used.",
    )
    paid_available_hours = fields.Float(
        string="Paid available",
        compute="_compute_balance",
        help="Of the remaining hours, those already paid.",
    )
    in_force_hours = fields.Float(
        string="Hours in force",
        compute="_compute_balance",
        help="Hours of the packs valid today.",
    )
    used_percent = fields.Float(string="Used (%)", compute="_compute_balance")
    remaining_display = fields.Char(string="Left", compute="_compute_balance")
    in_force_display = fields.Char(string="In force", compute="_compute_balance")
    pack_count = fields.Integer(compute="_compute_counts")
    ticket_count = fields.Integer(compute="_compute_counts")
    sale_order_count = fields.Integer(compute="_compute_counts")

    _sql_constraints = [
        (
            "partner_company_uniq",
            "unique(partner_id, company_id)",
            "A customer has one hours bank per company.",
        ),
    ]

    @api.model
    def _default_threshold_ids(self):
        company = self.env.company
        if not company.qubiq_hours_threshold_value:
            return []
        return [
            fields.Command.create(
                {
                    "kind": company.qubiq_hours_threshold_kind or "percent",
                    "value": company.qubiq_hours_threshold_value,
                }
            )
        ]

    @api.depends("partner_id.name")
    @api.depends_context("lang")
    def _compute_name(self):
        for bank in self:
            bank.name = _(
                "Hours bank %(customer)s", customer=bank.partner_id.name or ""
            ).strip()

    @api.depends("partner_id.account_manager_id", "partner_id.user_id")
    def _compute_account_manager_id(self):
        for bank in self:
            bank.account_manager_id = (
                bank.partner_id._qubiq_account_manager() if bank.partner_id else False
            )

    @api.depends(
        "pack_ids.hours",
        "pack_ids.state",
        "pack_ids.date_start",
        "pack_ids.date_end",
        "allocation_ids.hours",
        "allocation_ids.billing_state",
        "timesheet_ids.hours_billed",
        "timesheet_ids.unit_amount",
        "timesheet_ids.hours_billable",
    )
    @api.depends_context("hours_date_from", "hours_date_to")
    def _compute_balance(self):
        banks = self.filtered("id")
        balances = banks._hours_balances(
            self.env.context.get("hours_date_from"),
            self.env.context.get("hours_date_to"),
        )
        for bank in self:
            balance = balances.get(bank.id)
            for key in engine.BALANCE_KEYS:
                bank[f"{key}_hours"] = engine.to_hours(
                    engine.balance_value(balance, key)
                )
            bank.used_percent = balance.used_percent if balance else 0.0
            bank.remaining_display = engine.format_duration(
                balance.remaining if balance else 0
            )
            bank.in_force_display = engine.format_duration(
                balance.in_force if balance else 0
            )

    def _compute_counts(self):
        packs = dict(
            self.env["qubiq.hours.pack"]._read_group(
                [("bank_id", "in", self.ids), ("state", "!=", "cancelled")],
                ["bank_id"],
                ["__count"],
            )
        )
        tickets = dict(
            self.env["account.analytic.line"]
            .sudo()
            ._read_group(
                [("hours_bank_id", "in", self.ids), ("ticket_id", "!=", False)],
                ["hours_bank_id"],
                ["ticket_id:count_distinct"],
            )
        )
        orders = self._hours_sale_orders()
        for bank in self:
            bank.pack_count = packs.get(bank, 0)
            bank.ticket_count = tickets.get(bank, 0)
            bank.sale_order_count = len(orders.get(bank.id, ()))

    @api.constrains("block_minutes", "minimum_minutes", "excess_hours")
    def _check_rule(self):
        for bank in self:
            if bank.block_minutes < 0 or bank.minimum_minutes < 0:
                raise ValidationError(
                    _(
                        "Billing block / Minimum billed: %(bank)s needs zero or a "
                        "positive number of minutes (e.g. 30 and 30).",
                        bank=bank.display_name,
                    )
                )
            if bank.excess_hours < 0:
                raise ValidationError(
                    _(
                        "Excessive dedication after: %(bank)s needs zero (the "
                        "company's default) or a positive number of hours.",
                        bank=bank.display_name,
                    )
                )

    @api.constrains("partner_id")
    def _check_partner(self):
        for bank in self:
            if bank.partner_id != bank.partner_id.commercial_partner_id:
                raise ValidationError(
                    _(
                        "Customer: an hours bank belongs to the customer company "
                        "%(company)s, not to its contact %(contact)s.",
                        company=bank.partner_id.commercial_partner_id.display_name,
                        contact=bank.partner_id.display_name,
                    )
                )

    # ------------------------------------------------------------------ CRUD

    def write(self, vals):
        rule = {"block_minutes", "minimum_minutes", "rounding_scope"} & set(vals)
        reallocate = rule or {"development_policy", "lock_date"} & set(vals)
        res = super().write(vals)
        if reallocate:
            # A new rule bills every line again; then all of it is consumed again.
            self._hours_reconsume(rebill=bool(rule))
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        used = self.filtered(lambda b: b.pack_ids or b.allocation_ids)
        if used:
            raise UserError(
                _(
                    "%(bank)s has packs or consumption: archive it instead of "
                    "deleting it.",
                    bank=used[0].display_name,
                )
            )

    # ------------------------------------------------------------------ lookup

    @api.model
    def _hours_find(self, pairs, create=False):
        """``{(partner id, company id): bank}``: the bank of each customer in each
        company, in one search (pairs without a bank are left out). ``create``
        (True, or the pairs concerned): a customer's first pack or billable time
        also gets its archived bank back, or a new one, since a customer has one
        bank per company."""
        pairs = {pair for pair in pairs if pair[0] and pair[1]}
        if not pairs:
            return {}
        creatable = pairs if create is True else pairs & set(create or ())
        Bank = self.sudo().with_context(active_test=False)
        result = {}
        for bank in Bank.search_fetch(
            [
                ("partner_id", "in", list({p for p, _c in pairs})),
                ("company_id", "in", list({c for _p, c in pairs})),
            ],
            # With the billing rule, lock date, status, excess limit and
            # consumption count, which the consumption of the timesheets that
            # looked the bank up reads next.
            [
                "partner_id",
                "company_id",
                "active",
                "balance_state",
                "excess_hours",
                "lock_date",
                "block_minutes",
                "minimum_minutes",
                "rounding_scope",
                "development_policy",
                "consumption_version",
            ],
            order="id",
        ):
            pair = (bank.partner_id.id, bank.company_id.id)
            if pair in pairs and (bank.active or pair in creatable):
                result[pair] = bank
        for partner_id, company_id in sorted(creatable - set(result)):
            company = self.env["res.company"].browse(company_id)
            result[(partner_id, company_id)] = (
                Bank.with_company(company)
                .with_context(mail_create_nolog=True)
                .create({"partner_id": partner_id, "company_id": company_id})
            )
        return result

    # ------------------------------------------------------------------ actions

    def action_view_packs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "qubiq_hours_bank.qubiq_hours_pack_action"
        )
        action["domain"] = [("bank_id", "=", self.id)]
        action["context"] = {"default_bank_id": self.id}
        return action

    def action_view_consumption(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "qubiq_hours_bank.account_analytic_line_hours_action"
        )
        action["domain"] = [("hours_bank_id", "=", self.id)]
        action["context"] = {"search_default_groupby_ticket": 1}
        return action

    def action_view_tickets(self):
        self.ensure_one()
        tickets = (
            self.env["account.analytic.line"]
            .sudo()
            .search([("hours_bank_id", "=", self.id), ("ticket_id", "!=", False)])
            .ticket_id
        )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_mgmt.helpdesk_ticket_action"
        )
        action["domain"] = [("id", "in", tickets.ids)]
        action["context"] = {}
        return action

    def action_view_sale_orders(self):
        self.ensure_one()
        orders = self._hours_sale_orders().get(self.id, self.env["sale.order"])
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_orders")
        action["domain"] = [("id", "in", orders.ids)]
        action["context"] = {"create": False}
        return action

    def action_invoice_extra(self):
        return {
            "type": "ir.actions.act_window",
            "name": _("Invoice hours"),
            "res_model": "qubiq.hours.invoice.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_bank_ids": self.ids},
        }

    def action_print_statement(self):
        return {
            "type": "ir.actions.act_window",
            "name": _("Hours bank statement"),
            "res_model": "qubiq.hours.statement.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_bank_ids": self.ids},
        }

    def action_recompute(self):
        """Bill and consume everything again (after a configuration change)."""
        self._hours_reconsume(rebill=True)
        return True

    def _hours_reconsume(self, rebill=False):
        """Consume again all the billed time of these banks (billing it again
        first when ``rebill``), then refresh their status."""
        self.env["qubiq.hours.allocation"]._hours_rebalance(
            {bank: (None, rebill) for bank in self}
        )
        self._hours_update_status()
