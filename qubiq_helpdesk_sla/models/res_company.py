# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    qubiq_sla_indicative_policy_id = fields.Many2one(
        "qubiq.sla.policy",
        string="Indicative SLA policy",
        help="Targets shown, multiplied by the indicative factor, to customers without "
        "an active maintenance contract. They are indicative and never contractual. "
        "Leave empty to show no target to those customers.",
    )
    qubiq_sla_indicative_factor = fields.Float(
        string="Indicative factor",
        default=1.5,
        help="Customers without a maintenance contract usually wait a bit more than "
        "50% longer than the contractual targets: 1.5 multiplies them by one and a "
        "half.",
    )
    qubiq_sla_risk_threshold = fields.Float(
        string="At-risk threshold (%)",
        default=75.0,
        help="A running SLA clock that has used this share of its target is at risk: "
        "the ticket is escalated one support level and the team leader gets an "
        "activity. At 100% (breached) it is escalated again and the support manager is "
        "notified.",
    )
    qubiq_sla_unassign_on_breach = fields.Boolean(
        string="Unassign breached tickets",
        help="When a ticket breaches its SLA, take it from its agent so that the queue "
        "offers it to whoever is free. The agent is told at the at-risk threshold.",
    )
    qubiq_support_manager_id = fields.Many2one(
        "res.users",
        string="Support manager",
        domain="[('share', '=', False)]",
        help="Receives breached tickets and at-risk tickets of teams without a leader.",
    )
    qubiq_closed_reply_days = fields.Integer(
        string="Closed tickets accept replies for (days)",
        default=7,
        help="A customer e-mail answering a ticket closed longer ago than this does "
        "not "
        "land in the old ticket: it opens a new ticket linked to it, or reopens it.",
    )
    qubiq_closed_reply_mode = fields.Selection(
        [
            ("new", "Open a new ticket linked to the old one"),
            ("reopen", "Reopen the old ticket"),
        ],
        string="Replies to long-closed tickets",
        default="new",
        required=True,
    )

    @api.constrains("qubiq_sla_indicative_factor")
    def _check_qubiq_sla_indicative_factor(self):
        for company in self:
            if company.qubiq_sla_indicative_factor < 1:
                raise ValidationError(
                    _(
                        "Indicative factor: it must be 1 or more (1.5 means 50%% "
                        "longer "
                        "than the contract), not %(value)s.",
                        value=company.qubiq_sla_indicative_factor,
                    )
                )

    @api.constrains("qubiq_sla_risk_threshold")
    def _check_qubiq_sla_risk_threshold(self):
        for company in self:
            if not 0 < company.qubiq_sla_risk_threshold < 100:
                raise ValidationError(
                    _(
                        "At-risk threshold: it must be a percentage between 0 and 100 "
                        "(e.g. 75), not %(value)s.",
                        value=company.qubiq_sla_risk_threshold,
                    )
                )

    @api.constrains("qubiq_closed_reply_days")
    def _check_qubiq_closed_reply_days(self):
        for company in self:
            if company.qubiq_closed_reply_days < 0:
                raise ValidationError(
                    _(
                        "Closed tickets accept replies for: the number of days cannot "
                        "be "
                        "negative (%(value)s). Use 0 to route every reply to a closed "
                        "ticket to a new one.",
                        value=company.qubiq_closed_reply_days,
                    )
                )

    def write(self, vals):
        res = super().write(vals)
        if "qubiq_sla_risk_threshold" in vals:
            # The at-risk instant of every running clock depends on the threshold.
            tickets = self.env["helpdesk.ticket"].search(
                [
                    ("company_id", "in", self.ids),
                    ("sla_clock_ids.state", "in", ("running", "paused")),
                ]
            )
            self.env["qubiq.sla.clock"]._recompute(tickets)
        if {"qubiq_sla_indicative_policy_id", "qubiq_sla_indicative_factor"} & set(
            vals
        ):
            # Customers without a contract: their indicative targets follow.
            self.env["qubiq.sla.clock"]._retarget_where(
                [("company_id", "in", self.ids), ("indicative", "=", True)],
                _("Indicative SLA targets changed"),
            )
        return res
