# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    qubiq_portal_reopen_days = fields.Integer(
        related="company_id.qubiq_portal_reopen_days", readonly=False
    )
    qubiq_portal_emergency_phone = fields.Char(
        related="company_id.qubiq_portal_emergency_phone", readonly=False
    )
    qubiq_portal_max_attachment_mb = fields.Integer(
        related="company_id.qubiq_portal_max_attachment_mb", readonly=False
    )
    qubiq_portal_ticket_rate_limit = fields.Integer(
        related="company_id.qubiq_portal_ticket_rate_limit", readonly=False
    )
