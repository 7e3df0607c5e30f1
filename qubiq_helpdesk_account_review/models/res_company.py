# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    qubiq_review_expiry_days = fields.Integer(
        string="Warn of packs expiring within (days)",
        default=30,
        help="The account manager is told when a pack with unused hours ends within "
        "this many days.",
    )
    qubiq_review_runout_weeks = fields.Integer(
        string="Warn of banks running out within (weeks)",
        default=4,
        help="The account manager is told when, at the pace of the last weeks, a bank "
        "will be used up within this many weeks.",
    )
    qubiq_review_pace_weeks = fields.Integer(
        string="Pace measured over (weeks)",
        default=8,
        help="The average weekly consumption that forecasts when a bank runs out is "
        "measured over this many past weeks.",
    )
    qubiq_review_compliance_target = fields.Float(
        string="Compliance target (%)",
        default=90.0,
        help="The account manager is told when a customer's contract compliance of "
        "the month falls below this share of targets met.",
    )
    qubiq_review_batch_size = fields.Integer(
        string="Monthly pack batch",
        default=50,
        help="Customers sent per transaction by the monthly pack job.",
    )

    @api.constrains(
        "qubiq_review_expiry_days",
        "qubiq_review_runout_weeks",
        "qubiq_review_pace_weeks",
        "qubiq_review_compliance_target",
        "qubiq_review_batch_size",
    )
    def _check_qubiq_review(self):
        for company in self:
            if (
                company.qubiq_review_expiry_days < 0
                or company.qubiq_review_runout_weeks < 0
                or company.qubiq_review_pace_weeks < 1
                or company.qubiq_review_batch_size < 1
            ):
                raise ValidationError(
                    _(
                        "Account review: days and weeks cannot be negative, and the "
                        "pace weeks and the batch must be at least 1."
                    )
                )
            if not 0 <= company.qubiq_review_compliance_target <= 100:
                raise ValidationError(
                    _(
                        "Compliance target (%%): %(value)s is not a percentage; use "
                        "a value between 0 and 100.",
                        value=company.qubiq_review_compliance_target,
                    )
                )
