# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class QubiqHoursAllocation(models.Model):
    _inherit = "qubiq.hours.allocation"

    @api.model
    def _hours_decide(self, line, contracts):
        """Analysis time before the customer accepted an estimate is never billed."""
        partner, billable, reason, kind = super()._hours_decide(line, contracts)
        if line.qubiq_estimate_analysis:
            return partner, False, "type_never", kind
        return partner, billable, reason, kind
