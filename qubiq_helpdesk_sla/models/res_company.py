# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    qubiq_sla_indicative_policy_id = fields.Many2one(
        "qubiq.sla.policy",
        string="Indicative SLA policy",
        help="Targets shown, multiplied by the indicative factor, to customers without "
        "an "
        "active maintenance contract. They are indicative and never contractual. Leave "
        "empty to show no target to those customers.",
    )
    qubiq_sla_indicative_factor = fields.Float(
        string="Indicative factor",
        default=1.5,
        help="Customers without a maintenance contract usually wait a bit more than "
        "50% "
        "longer than the contractual targets: 1.5 multiplies them by one and a half.",
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
