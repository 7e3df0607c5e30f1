# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ProductTemplate(models.Model):
    _inherit = "product.template"

    hours_pack = fields.Boolean(
        string="Hours pack",
        help="Selling this product credits the customer's hours bank when the order "
        "is confirmed (a prepaid service: invoiced on order).",
    )
    hours_pack_hours = fields.Float(
        string="Hours per unit",
        help="Hours credited per unit sold when the product is sold in units (a "
        "'Bolsa 20 h' product: 20). Sold in hours: the quantity is the hours.",
    )
    hours_pack_validity_months = fields.Integer(
        string="Validity (months)",
        help="The pack expires this many months after the order. 0: never.",
    )

    @api.onchange("hours_pack")
    def _onchange_hours_pack(self):
        if self.hours_pack:
            self.detailed_type = "service"
            self.service_policy = "ordered_prepaid"

    @api.constrains("hours_pack", "type", "hours_pack_hours", "uom_id")
    def _check_hours_pack(self):
        hour = self.env.ref("uom.product_uom_hour")
        for product in self.filtered("hours_pack"):
            if product.type != "service":
                raise ValidationError(
                    _(
                        "Hours pack: %(product)s must be a service to be sold as "
                        "an hours pack.",
                        product=product.display_name,
                    )
                )
            in_time = product.uom_id.category_id == hour.category_id
            if not in_time and product.hours_pack_hours <= 0:
                raise ValidationError(
                    _(
                        "Hours per unit: %(product)s is sold in %(uom)s; enter how "
                        "many hours one unit credits (or sell it in hours).",
                        product=product.display_name,
                        uom=product.uom_id.name,
                    )
                )
            if product.hours_pack_validity_months < 0:
                raise ValidationError(
                    _(
                        "Validity (months): %(product)s needs 0 (no expiry) or a "
                        "positive number of months.",
                        product=product.display_name,
                    )
                )
