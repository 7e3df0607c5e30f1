# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

from .helpdesk_ticket_team import AFTERSALES_SWITCH_MODULES


class IrModelData(models.Model):
    _inherit = "ir.model.data"

    @api.model
    def _process_end_unlink_record(self, record):
        """Keep the after-sales switches when an old capability add-on is updated.

        The switches were defined by their capability add-on until 17.0.1.1.0 of
        this module. Updating such an add-on alone (``-u ..._refund``) would delete
        the field it no longer defines, and drop its column with the teams' values,
        although this module defines it now: hand the field's external id over to
        this module instead (what updating this module does by itself)."""
        if (
            record._name == "ir.model.fields"
            and record.model == "helpdesk.ticket.team"
            and record.name in AFTERSALES_SWITCH_MODULES
        ):
            self.env.cr.execute(
                """UPDATE ir_model_data SET module = 'qubiq_helpdesk_aftersales'
                    WHERE model = 'ir.model.fields' AND res_id = %s AND module = %s""",
                (record.id, record.env.context.get("module")),
            )
            return
        return super()._process_end_unlink_record(record)
