# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class QubiqSupportContract(models.Model):
    _name = "qubiq.support.contract"
    _description = "Maintenance contract"
    _inherit = ["mail.thread"]
    _order = "date_start desc, id desc"

    name = fields.Char(required=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        domain="[('is_company', '=', True)]",
        help="The customer company; its contacts are covered.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    date_start = fields.Date(
        string="Start", required=True, default=fields.Date.context_today, tracking=True
    )
    date_end = fields.Date(string="End", tracking=True, help="Empty: open-ended.")
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("active", "Active"),
            ("expired", "Expired"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        tracking=True,
    )
    policy_id = fields.Many2one(
        "qubiq.sla.policy",
        string="SLA policy",
        required=True,
        tracking=True,
        domain="['|', ('company_id', '=', False), ('company_id', '=', company_id)]",
    )
    calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working hours",
        tracking=True,
        help="Leave empty to use the SLA policy's working hours.",
    )
    note = fields.Html()

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for contract in self:
            if contract.date_end and contract.date_end < contract.date_start:
                raise ValidationError(
                    _(
                        "End: the contract %(name)s cannot end (%(end)s) before it "
                        "starts "
                        "(%(start)s).",
                        name=contract.name,
                        end=contract.date_end,
                        start=contract.date_start,
                    )
                )

    @api.constrains("state", "partner_id", "company_id", "date_start", "date_end")
    def _check_overlap(self):
        active = self.filtered(lambda c: c.state == "active")
        if not active:
            return
        others = (
            self.search(
                [
                    ("state", "=", "active"),
                    ("partner_id", "in", active.partner_id.ids),
                    ("id", "not in", active.ids),
                ]
            )
            | active
        )
        for contract in active:
            for other in others:
                if other == contract or other.partner_id != contract.partner_id:
                    continue
                if other.company_id != contract.company_id:
                    continue
                starts_before_other_ends = not other.date_end or (
                    contract.date_start <= other.date_end
                )
                ends_after_other_starts = not contract.date_end or (
                    contract.date_end >= other.date_start
                )
                if starts_before_other_ends and ends_after_other_starts:
                    raise ValidationError(
                        _(
                            "Customer: %(partner)s already has the active contract "
                            "%(other)s for these dates. End or cancel it first.",
                            partner=contract.partner_id.display_name,
                            other=other.name,
                        )
                    )

    def _effective_calendar(self):
        self.ensure_one()
        return self.calendar_id or self.policy_id.calendar_id

    def action_activate(self):
        self.write({"state": "active"})

    def action_cancel(self):
        self.write({"state": "cancelled"})

    def action_draft(self):
        self.write({"state": "draft"})

    @api.model
    def _find_active(self, keys, states=("active",)):
        """The contract in force for each ``(customer, company, day)`` key.

        ``keys``: iterable of (commercial partner id, company id, date). Returns
        ``{key: contract}`` with an empty recordset where none is in force: the
        contract in ``states`` whose dates contain the day, the latest started first.
        One query for the whole batch. The SLA clocks ask for active contracts; the
        hours bank also for expired ones, since a timesheet may be dated before the
        expiry."""
        keys = set(keys)
        result = dict.fromkeys(keys, self.browse())
        if not keys:
            return result
        contracts = self.search(
            [
                ("state", "in", list(states)),
                ("partner_id", "in", list({key[0] for key in keys})),
                ("company_id", "in", list({key[1] for key in keys})),
            ],
            order="date_start desc, id desc",
        )
        by_customer = defaultdict(list)
        for contract in contracts:
            by_customer[(contract.partner_id.id, contract.company_id.id)].append(
                contract
            )
        for key in keys:
            partner_id, company_id, day = key
            result[key] = next(
                (
                    contract
                    for contract in by_customer[(partner_id, company_id)]
                    if contract.date_start <= day
                    and (not contract.date_end or contract.date_end >= day)
                ),
                self.browse(),
            )
        return result

    @api.model
    def _cron_expire(self):
        """Mark as expired the active contracts whose end date has passed."""
        expired = self.search(
            [
                ("state", "=", "active"),
                ("date_end", "<", fields.Date.context_today(self)),
            ]
        )
        expired.write({"state": "expired"})
        return True
