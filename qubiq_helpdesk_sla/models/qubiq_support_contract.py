# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import _, api, fields, models, tools
from odoo.exceptions import ValidationError

# A change of one of these may change the clocks of the customer's open tickets.
CLOCK_FIELDS = (
    "state",
    "date_start",
    "date_end",
    "policy_id",
    "calendar_id",
    "partner_id",
    "company_id",
)


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

    @api.model_create_multi
    def create(self, vals_list):
        contracts = super().create(vals_list)
        self.env.registry.clear_cache()  # _contract_dates
        active = contracts.filtered(lambda c: c.state == "active")
        for contract in active:
            contract._retarget_tickets(_("Contract %s activated", contract.name))
        return contracts

    def write(self, vals):
        watched = [f for f in CLOCK_FIELDS if f in vals]
        if not watched:
            return super().write(vals)
        before = {c.id: (c.partner_id, c.state) for c in self}
        res = super().write(vals)
        self.env.registry.clear_cache()  # _contract_dates
        for contract in self:
            partner, state = before[contract.id]
            contract._retarget_tickets(
                contract._describe_change(state, watched), partner
            )
        return res

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()  # _contract_dates
        return res

    def _describe_change(self, old_state, fnames):
        """What changed in the contract, as the tickets' SLA history tells it."""
        self.ensure_one()
        if "state" in fnames and self.state != old_state:
            if self.state == "active":
                return _("Contract %s activated", self.name)
            if self.state == "expired":
                return _(
                    "Contract %(name)s expired on %(date)s: the tickets received while "
                    "it was in force keep its targets until solved",
                    name=self.name,
                    date=self.date_end or fields.Date.context_today(self),
                )
            return _(
                "Contract %(name)s: %(state)s",
                name=self.name,
                state=dict(self._fields["state"]._description_selection(self.env))[
                    self.state
                ],
            )
        return _(
            "Contract %(name)s changed: %(fields)s",
            name=self.name,
            fields=", ".join(
                self._fields[f]._description_string(self.env)
                for f in fnames
                if f != "state"
            ),
        )

    def _retarget_tickets(self, description, old_partner=None):
        """Give the open tickets of the contract's customer (and of its previous
        customer) the clocks the contract now calls for, and say so in their
        history even where no deadline moved (an expiry keeps them)."""
        self.ensure_one()
        partners = self.partner_id | (old_partner or self.env["res.partner"])
        tickets = (
            self.env["helpdesk.ticket"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "in", partners.ids),
                    ("company_id", "=", self.company_id.id),
                    ("stage_id.closed", "=", False),
                ]
            )
        )
        if not tickets:
            return
        Clock = self.env["qubiq.sla.clock"]
        Clock._retarget(tickets, description)
        kept = Clock.sudo().search(
            [
                ("ticket_id", "in", tickets.ids),
                ("contract_id", "=", self.id),
                ("state", "in", ("running", "paused")),
            ]
        )
        moved = (
            self.env["qubiq.sla.history"]
            .sudo()
            .search(
                [
                    ("ticket_id", "in", kept.ticket_id.ids),
                    ("description", "=", description),
                ]
            )
        )
        self.env["qubiq.sla.history"]._log(
            [
                {
                    "ticket_id": clock.ticket_id.id,
                    "kind": clock.kind,
                    "reason": "retarget",
                    "description": description,
                    "old_deadline": clock.deadline,
                    "new_deadline": clock.deadline,
                }
                for clock in kept
                if clock.ticket_id not in moved.ticket_id
            ]
        )

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
        customers = {key[:2] for key in keys}
        by_customer = defaultdict(list)
        if len(customers) == 1 and self.env.su:
            # One customer (a timesheet logged, a ticket received): its contracts'
            # dates from the registry's cache, which a change of any contract
            # clears; a batch of customers is one search instead.
            customer = next(iter(customers))
            by_customer[customer] = self._contract_dates(*customer, tuple(states))
        else:
            for contract in self.search(
                [
                    ("state", "in", list(states)),
                    ("partner_id", "in", list({key[0] for key in keys})),
                    ("company_id", "in", list({key[1] for key in keys})),
                ],
                order="date_start desc, id desc",
            ):
                by_customer[(contract.partner_id.id, contract.company_id.id)].append(
                    (contract.id, contract.date_start, contract.date_end)
                )
        for key in keys:
            partner_id, company_id, day = key
            result[key] = self.browse(
                next(
                    (
                        contract_id
                        for contract_id, start, end in by_customer[
                            (partner_id, company_id)
                        ]
                        if start <= day and (not end or end >= day)
                    ),
                    (),
                )
            )
        return result

    @api.model
    @tools.ormcache("partner_id", "company_id", "states")
    def _contract_dates(self, partner_id, company_id, states):
        """``[(id, start, end)]`` of a customer's contracts in ``states``, the latest
        started first (as superuser: :meth:`_find_active` asks for it only then)."""
        return tuple(
            (contract.id, contract.date_start, contract.date_end)
            for contract in self.sudo().search(
                [
                    ("state", "in", list(states)),
                    ("partner_id", "=", partner_id),
                    ("company_id", "=", company_id),
                ],
                order="date_start desc, id desc",
            )
        )

    @api.model
    def _clock_specs(self, tickets):
        """{ticket id: {kind: clock values}} of the SLA clocks each ticket should have
        now: the customer's contract in force on the day the ticket was received sets
        the policy and working hours; without one, the company's indicative policy
        applies, its targets multiplied by the indicative factor, on the team's
        working hours. Types not covered by the SLA (evolutivos) get no clock."""
        days = {
            ticket.id: (ticket.sla_start_date or fields.Datetime.now()).date()
            for ticket in tickets
        }
        keys = {
            ticket.id: (
                ticket.commercial_partner_id.id,
                ticket.company_id.id,
                days[ticket.id],
            )
            for ticket in tickets
        }
        # The contract in force on the reception day governs the ticket until it is
        # solved, even once that contract has expired; a ticket received while the
        # customer had none becomes contractual when a contract is activated.
        # sudo: agents and portal users open tickets without reading contracts.
        in_force = self.sudo()._find_active(keys.values(), ("active", "expired"))
        today = fields.Datetime.now().date()
        later = {
            ticket_id: (key[0], key[1], today)
            for ticket_id, key in keys.items()
            if not in_force[key] and key[2] != today
        }
        if later:
            in_force.update(self.sudo()._find_active(set(later.values())))
        specs = {}
        for ticket in tickets:
            specs[ticket.id] = spec = {}
            if ticket.type_id and not ticket.type_id.sla_covered:
                continue
            contract = in_force[keys[ticket.id]] or in_force.get(
                later.get(ticket.id), self.browse()
            )
            company = ticket.company_id.sudo()
            if contract:
                policy, calendar, factor = (
                    contract.policy_id,
                    contract._effective_calendar(),
                    1.0,
                )
            else:
                policy = company.qubiq_sla_indicative_policy_id
                calendar = ticket.team_id.resource_calendar_id or policy.calendar_id
                factor = company.qubiq_sla_indicative_factor or 1.0
            if not policy or not calendar:
                continue
            line = policy.sudo()._find_line(
                ticket.priority, ticket.type_id, ticket.team_id
            )
            if not line:
                continue
            unit_minutes = policy._unit_seconds() / 60
            common = {
                "policy_id": policy.id,
                "contract_id": contract.id,
                "calendar_id": calendar.id,
                "indicative": not contract,
            }
            spec["response"] = dict(
                common, target_minutes=line.response_target * unit_minutes * factor
            )
            if line.resolution_target:
                spec["resolution"] = dict(
                    common,
                    target_minutes=line.resolution_target * unit_minutes * factor,
                )
            if line.next_reply_target:
                spec["reply"] = dict(
                    common,
                    target_minutes=line.next_reply_target * unit_minutes * factor,
                )
        return specs

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
