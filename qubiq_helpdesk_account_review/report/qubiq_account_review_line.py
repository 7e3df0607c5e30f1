# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models

from ..models import review_engine as engine


class QubiqAccountReviewLine(models.TransientModel):
    """The daily review: one line per customer with a contract or an hours bank,
    computed when the screen opens (the hours forecast is Python arithmetic, so not
    an SQL view). Account managers see their customers' lines only (record rule);
    each figure opens the records behind it."""

    _name = "qubiq.account.review.line"
    _description = "Daily account review"
    _order = "at_risk desc, breached desc, bad_ratings desc, partner_name"

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    partner_name = fields.Char(related="partner_id.name", store=True)
    manager_id = fields.Many2one("res.users", string="Account manager", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    at_risk = fields.Integer(string="Open at risk", readonly=True)
    breached = fields.Integer(string="Breaches this month", readonly=True)
    compliance = fields.Float(string="Compliance (%)", readonly=True)
    bad_ratings = fields.Integer(string="Bad ratings this month", readonly=True)
    hours_left = fields.Float(readonly=True)
    forecast_weeks = fields.Float(
        string="Runs out in (weeks)",
        readonly=True,
        help="Hours left divided by the average weekly consumption of the last "
        "weeks; empty when nothing is being consumed.",
    )
    has_bank = fields.Boolean(readonly=True)
    has_forecast = fields.Boolean(readonly=True)
    has_rate = fields.Boolean(readonly=True)
    estimates = fields.Integer(string="Pending estimates", readonly=True)

    @api.model
    def action_open_review(self):
        """Recompute the current user's lines and open the screen."""
        company = self.env.company
        today = fields.Date.context_today(self)
        month = engine.month_key(today)
        Review = self.env["qubiq.account.review"]
        _contracts, _banks, partners = Review._candidates(month, company)
        if not self.env.user.has_group("helpdesk_mgmt.group_helpdesk_manager"):
            partners = partners.filtered(
                lambda p: p._qubiq_account_manager() == self.env.user
            )
        self.search([("create_uid", "=", self.env.uid)]).unlink()
        figures = Review._figures(partners, month, today)
        self.create(
            [
                {
                    "partner_id": partner.id,
                    "manager_id": partner._qubiq_account_manager().id,
                    "company_id": company.id,
                    "at_risk": values["at_risk"],
                    "breached": values["breached"],
                    "compliance": values["rate"] if values["rate"] is not None else 0,
                    "bad_ratings": values["bad_ratings"],
                    "hours_left": values["remaining"],
                    "forecast_weeks": values["forecast_weeks"] or 0.0,
                    "has_bank": bool(values["banks"]),
                    "has_forecast": values["forecast_weeks"] is not None,
                    "has_rate": values["rate"] is not None,
                    "estimates": values["estimates"],
                }
                for partner in partners
                for values in [figures[partner.id]]
            ]
        )
        return {
            "type": "ir.actions.act_window",
            "name": _("Daily review"),
            "res_model": self._name,
            "view_mode": "tree",
            "domain": [("create_uid", "=", self.env.uid)],
            "target": "current",
        }

    def _month_bounds(self):
        Review = self.env["qubiq.account.review"]
        return Review._utc_bounds(engine.month_key(fields.Date.context_today(self)))

    def _open(self, model, name, domain, xmlid=None):
        self.ensure_one()
        if xmlid:
            action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
            action.update({"domain": domain, "context": {}, "name": name})
            return action
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "tree,form",
            "domain": domain,
        }

    def action_open_at_risk(self):
        return self._open(
            "helpdesk.ticket",
            _("Open tickets at risk"),
            [
                ("commercial_partner_id", "=", self.partner_id.id),
                ("closed", "=", False),
                ("sla_at_risk", "=", True),
            ],
            "helpdesk_mgmt.helpdesk_ticket_action",
        )

    def action_open_breaches(self):
        start, end = self._month_bounds()
        return self._open(
            "qubiq.sla.report",
            _("Breaches this month"),
            [
                ("partner_id", "=", self.partner_id.id),
                ("start_date", ">=", start),
                ("start_date", "<", end),
                ("breached_count", "=", 1),
            ],
        )

    def action_open_ratings(self):
        start, end = self._month_bounds()
        return self._open(
            "qubiq.helpdesk.rating.report",
            _("Bad ratings this month"),
            [
                ("partner_id", "=", self.partner_id.id),
                ("date", ">=", start),
                ("date", "<", end),
                ("unhappy_count", "=", 1),
            ],
        )

    def action_open_bank(self):
        return self._open(
            "qubiq.hours.bank",
            _("Hours bank"),
            [("partner_id", "=", self.partner_id.id)],
            "qubiq_hours_bank.qubiq_hours_bank_action",
        )

    def action_open_estimates(self):
        return self._open(
            "helpdesk.ticket",
            _("Pending estimates"),
            [
                ("commercial_partner_id", "=", self.partner_id.id),
                ("estimate_state", "=", "sent"),
            ],
            "helpdesk_mgmt.helpdesk_ticket_action",
        )
