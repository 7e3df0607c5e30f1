# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

# What the signed report shows of a part: locked once the customer signed (other
# fields, such as the stock move of the stock bridge, may still be written).
SIGNED_PART_FIELDS = {
    "task_id",
    "sequence",
    "product_id",
    "name",
    "quantity",
    "product_uom_id",
    "billable",
}


class QubiqInterventionPart(models.Model):
    _name = "qubiq.intervention.part"
    _description = "Part Used in an On-site Intervention"
    _order = "sequence, id"

    task_id = fields.Many2one(
        "project.task", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="task_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one(
        "product.product",
        required=True,
        domain="[('type', '!=', 'service')]",
    )
    name = fields.Char(
        string="Description",
        compute="_compute_name",
        store=True,
        readonly=False,
        precompute=True,
    )
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure")
    product_uom_category_id = fields.Many2one(related="product_id.uom_id.category_id")
    product_uom_id = fields.Many2one(
        "uom.uom",
        string="Unit of Measure",
        compute="_compute_product_uom_id",
        store=True,
        readonly=False,
        precompute=True,
        domain="[('category_id', '=', product_uom_category_id)]",
    )
    billable = fields.Boolean(
        default=True, help="The customer pays for this part (not under warranty)."
    )

    _sql_constraints = [
        (
            "quantity_positive",
            "CHECK(quantity > 0)",
            "The quantity of a part used must be positive.",
        ),
    ]

    @api.depends("product_id")
    def _compute_name(self):
        for part in self:
            part.name = part.product_id.display_name

    @api.depends("product_id")
    def _compute_product_uom_id(self):
        for part in self:
            if part.product_uom_id.category_id != part.product_id.uom_id.category_id:
                part.product_uom_id = part.product_id.uom_id

    @api.constrains("product_id", "product_uom_id")
    def _check_product_uom_id(self):
        for part in self:
            if (
                part.product_uom_id
                and part.product_uom_id.category_id
                != part.product_id.uom_id.category_id
            ):
                raise ValidationError(
                    _(
                        "%(product)s is counted in %(category)s: choose a unit of "
                        "that category instead of %(uom)s.",
                        product=part.product_id.display_name,
                        category=part.product_id.uom_id.category_id.name,
                        uom=part.product_uom_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        parts = super().create(vals_list)
        parts.task_id._intervention_check_unsigned()
        return parts

    def write(self, vals):
        if SIGNED_PART_FIELDS & set(vals):
            self.task_id._intervention_check_unsigned()
        if "task_id" in vals:
            self.env["project.task"].browse(
                vals["task_id"]
            )._intervention_check_unsigned()
        return super().write(vals)

    def unlink(self):
        self.task_id._intervention_check_unsigned()
        return super().unlink()
