# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..models import hours_engine as engine


class QubiqHoursStatementWizard(models.TransientModel):
    _name = "qubiq.hours.statement.wizard"
    _description = "Print an hours bank statement"

    bank_ids = fields.Many2many("qubiq.hours.bank", string="Hours banks", required=True)
    period = fields.Selection(engine.PERIODS, required=True, default="last_month")
    date_from = fields.Date(
        string="From",
        compute="_compute_dates",
        store=True,
        readonly=False,
    )
    date_to = fields.Date(
        string="To", compute="_compute_dates", store=True, readonly=False
    )

    @api.depends("period")
    def _compute_dates(self):
        today = fields.Date.context_today(self)
        for wizard in self:
            if wizard.period and wizard.period != "custom":
                wizard.date_from, wizard.date_to = engine.period_bounds(
                    wizard.period, today
                )
            elif not wizard.date_to:
                wizard.date_to = today

    def action_print(self):
        self.ensure_one()
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise UserError(
                _(
                    "From: the period starts (%(start)s) after it ends (%(end)s).",
                    start=self.date_from,
                    end=self.date_to,
                )
            )
        data = {
            "bank_ids": self.bank_ids.ids,
            "date_from": fields.Date.to_string(self.date_from)
            if self.date_from
            else False,
            "date_to": fields.Date.to_string(
                self.date_to or fields.Date.context_today(self)
            ),
        }
        return self.env.ref(
            "qubiq_hours_bank.action_report_hours_statement"
        ).report_action(self.bank_ids, data=data)
