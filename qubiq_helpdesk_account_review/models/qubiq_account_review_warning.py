# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models

from . import review_engine as engine
from .log_claim import claim_rows

WARNING_KINDS = [
    ("expiry", "Pack expiring with unused hours"),
    ("runout", "Bank running out at the current pace"),
    ("compliance", "Compliance below target"),
    ("ratings", "Two or more bad ratings"),
]


class QubiqAccountReviewWarning(models.Model):
    """An early warning given to a customer's account manager (an activity), once
    per event: the unique (partner, kind, period) key is claimed before the activity
    is scheduled. The period is the month, or the pack for an expiring pack."""

    _name = "qubiq.account.review.warning"
    _description = "Account early warning"
    _order = "create_date desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    kind = fields.Selection(WARNING_KINDS, required=True, readonly=True)
    period = fields.Char(required=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    user_id = fields.Many2one("res.users", string="Account manager", readonly=True)
    note = fields.Html(readonly=True)

    _sql_constraints = [
        (
            "event_uniq",
            "unique(partner_id, kind, period)",
            "This warning was already given for this customer and period.",
        )
    ]

    @api.model
    def _cron_warnings(self):
        """Daily: the warnings today's figures call for, each once."""
        today = fields.Date.context_today(self)
        month = engine.month_key(today)
        for company in self.env["res.company"].search([]):
            self.with_company(company)._warn(month, company, today)
        return True

    @api.model
    def _warn(self, month, company, today):
        """Claim and schedule the warnings of ``company``'s customers for
        ``month``; returns the warnings created by this call."""
        Review = self.env["qubiq.account.review"].with_company(company)
        _contracts, _banks, partners = Review._candidates(month, company)
        figures = Review._figures(partners, month, today)
        events = Review._warnings(figures, month, company)
        rows = [
            (partner_id, kind, period, company.id)
            for partner_id, warnings in events.items()
            for kind, period, _values in warnings
        ]
        claimed = claim_rows(
            self.env,
            self._table,
            ["partner_id", "kind", "period", "company_id"],
            rows,
        )
        if not claimed:
            return self.browse()
        keys = {row[:3] for row in claimed}
        created = self.sudo().search(
            [("partner_id", "in", list({key[0] for key in keys}))]
        )
        created = created.filtered(
            lambda w: (w.partner_id.id, w.kind, w.period) in keys
        )
        values_of = {
            (partner_id, kind, period): values
            for partner_id, warnings in events.items()
            for kind, period, values in warnings
        }
        for warning in created:
            key = (warning.partner_id.id, warning.kind, warning.period)
            warning._schedule(values_of[key])
        return created

    def _describe(self, values):
        """The warning's line (activity note and summary line)."""
        self.ensure_one()
        customer = self.partner_id.display_name
        if self.kind == "expiry":
            pack = values["pack"]
            hours = "{:.2f}".format(values["hours"])
            return _(
                "%(customer)s: the pack %(pack)s ends on %(date)s with %(hours)s h "
                "unused.",
                customer=customer,
                pack=pack.display_name,
                date=pack.date_end,
                hours=hours,
            )
        if self.kind == "runout":
            hours = "{:.2f}".format(values["remaining"])
            weeks = "{:.1f}".format(values["forecast_weeks"])
            pace = "{:.2f}".format(values["pace"])
            return _(
                "%(customer)s: %(hours)s h left will run out in %(weeks)s weeks at "
                "the current pace (%(pace)s h a week).",
                customer=customer,
                hours=hours,
                weeks=weeks,
                pace=pace,
            )
        if self.kind == "compliance":
            rate = "{:.0f}".format(values["rate"])
            target = f"{self.company_id.qubiq_review_compliance_target:g}"
            return _(
                "%(customer)s: contract compliance this month is %(rate)s %% "
                "(target %(target)s %%, %(breached)s breached).",
                customer=customer,
                rate=rate,
                target=target,
                breached=values["breached"],
            )
        return _(
            "%(customer)s: %(count)s not positive ratings this month.",
            customer=customer,
            count=values["bad_ratings"],
        )

    def _schedule(self, values):
        """An activity for the customer's account manager."""
        self.ensure_one()
        manager = self.partner_id._qubiq_account_manager()
        # In the account manager's language, whoever runs the job.
        reader = self.with_context(lang=manager.lang or self.env.lang)
        note = reader._describe(values)
        self.sudo().write({"user_id": manager.id, "note": note})
        summary = dict(self._fields["kind"]._description_selection(reader.env))[
            self.kind
        ]
        partner = self.partner_id.sudo()
        if manager:
            partner.activity_schedule(
                "qubiq_helpdesk_account_review.mail_activity_type_account_review",
                user_id=manager.id,
                summary=summary,
                note=note,
            )
        else:
            partner.message_post(body=note, subtype_xmlid="mail.mt_note")
