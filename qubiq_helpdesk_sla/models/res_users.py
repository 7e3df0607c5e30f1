# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

SUPPORT_LEVELS = [
    ("1", "N1 - Junior"),
    ("2", "N2 - Certified"),
    ("3", "N3 - Specialist"),
]


class ResUsers(models.Model):
    _inherit = "res.users"

    helpdesk_support_level = fields.Selection(
        SUPPORT_LEVELS,
        string="Support level",
        default="1",
        help="N1: junior consultants; N2: Odoo-certified consultants and technicians; "
        "N3: the support manager and specialists. Agents take tickets up to their "
        "level.",
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + ["helpdesk_support_level"]
