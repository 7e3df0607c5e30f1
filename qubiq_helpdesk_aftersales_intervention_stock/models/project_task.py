# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError


class ProjectTask(models.Model):
    _inherit = "project.task"

    intervention_location_id = fields.Many2one(
        "stock.location",
        string="Parts From",
        compute="_compute_intervention_location_id",
        store=True,
        readonly=False,
        domain="[('usage', '=', 'internal')]",
        help="Where the parts used come from: the first technician's van, else "
        "the company's main warehouse. They go to the customer when the report "
        "is signed.",
    )
    intervention_move_ids = fields.One2many(
        "stock.move", "intervention_task_id", string="Parts Moves"
    )

    @api.depends("user_ids.intervention_location_id", "company_id")
    def _compute_intervention_location_id(self):
        for task in self:
            if task.intervention_location_id:
                continue
            location = task.user_ids[:1].intervention_location_id
            if not location:
                warehouse = self.env["stock.warehouse"].search(
                    [("company_id", "=", (task.company_id or self.env.company).id)],
                    limit=1,
                )
                location = warehouse.lot_stock_id
            task.intervention_location_id = location

    def _intervention_sign(self, name, signature):
        res = super()._intervention_sign(name, signature)
        self._intervention_move_parts()
        return res

    def _intervention_move_parts(self):
        """The parts used leave the technician's stock for the customer, in
        done moves. sudo: the customer signing in the portal has no stock rights;
        what moves is what the signed report lists."""
        for task in self.sudo():
            parts = task.intervention_part_ids.filtered(
                lambda part: (
                    not part.move_id and part.product_id.type in ("product", "consu")
                )
            )
            if not parts:
                continue
            source = task.intervention_location_id
            destination = task.partner_id.property_stock_customer
            if not source or not destination:
                raise UserError(
                    _(
                        "%(task)s: choose where its parts come from (Parts From) "
                        "and a customer, so that they leave the stock when the "
                        "report is signed.",
                        task=task.display_name,
                    )
                )
            Move = self.env["stock.move"].sudo()
            moves = Move
            for part in parts:
                move = Move.create(
                    {
                        "name": part.name or part.product_id.display_name,
                        "product_id": part.product_id.id,
                        "product_uom_qty": part.quantity,
                        "product_uom": part.product_uom_id.id,
                        "location_id": source.id,
                        "location_dest_id": destination.id,
                        "partner_id": task.partner_id.id,
                        "company_id": source.company_id.id or task.company_id.id,
                        "origin": task.display_name,
                        "intervention_task_id": task.id,
                    }
                )
                part.move_id = move
                moves |= move
            moves._action_confirm()
            moves._action_assign()
            for move in moves:
                move.quantity = move.product_uom_qty
            moves.picked = True
            moves._action_done()
