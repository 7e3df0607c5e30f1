# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    helpdesk_designated_contact = fields.Boolean(
        string="May see all tickets of the company",
        tracking=True,
        help="Designated contact: in the customer portal this contact sees and "
        "answers every ticket of its company. Other contacts see the tickets they "
        "opened and the ones they follow.",
    )
    helpdesk_multi_company = fields.Boolean(
        string="Several companies in Odoo",
        tracking=True,
        help="The customer works with several companies in its Odoo: the portal form "
        "asks in which company each problem happens. Set on the company; its contacts "
        "share it.",
    )

    def _commercial_fields(self):
        return super()._commercial_fields() + ["helpdesk_multi_company"]

    def write(self, vals):
        res = super().write(vals)
        if {"helpdesk_designated_contact", "parent_id"} & set(vals) and (
            self.sudo().user_ids
        ):
            # The portal ticket rule reads the flag and the commercial partner of the
            # user; ir.rule caches its domains per user, so drop them now rather than
            # at the next restart.
            self.env.registry.clear_cache()
        return res
