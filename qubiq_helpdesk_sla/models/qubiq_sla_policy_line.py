# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, _lt, api, fields, models
from odoo.exceptions import ValidationError

PRIORITIES = [
    ("0", "Low"),
    ("1", "Normal"),
    ("2", "Serious"),
    ("3", "Critical"),
]
# What each priority means, shown wherever a priority is chosen (backend form,
# phone wizard, portal form): the customer picks the right one.
PRIORITY_DESCRIPTIONS = {
    "0": _lt("Functional questions and doubts."),
    "1": _lt(
        "Affects a single user or a single record (one customer, one invoice, one "
        "sales "
        "order). Daily work goes on."
    ),
    "2": _lt(
        "A whole department or process is stopped, e.g. no sales order can be made at "
        "all. Security is not at risk, but it becomes blocking if not solved soon."
    ),
    "3": _lt(
        "The whole service is stopped or its security is at risk, e.g. the server is "
        "down or a whole integration fails. Reserve it for real emergencies."
    ),
}


class QubiqSlaPolicyLine(models.Model):
    _name = "qubiq.sla.policy.line"
    _description = "SLA policy target"
    _order = "policy_id, priority desc, id"

    policy_id = fields.Many2one(
        "qubiq.sla.policy",
        required=True,
        ondelete="cascade",
        index=True,
    )
    priority = fields.Selection(PRIORITIES, required=True, default="1")
    type_id = fields.Many2one(
        "helpdesk.ticket.type",
        string="Ticket type",
        help="Empty: every type covered by SLA.",
    )
    team_id = fields.Many2one("helpdesk.ticket.team", help="Empty: every team.")
    response_target = fields.Float(
        string="Response",
        help="Working time, in the policy's unit, until the first answer to the "
        "customer.",
    )
    resolution_target = fields.Float(
        string="Resolution",
        help="Working time, in the policy's unit, until the ticket is solved. 0 = no "
        "resolution target.",
    )
    next_reply_target = fields.Float(
        string="Next reply",
        help="Working time, in the policy's unit, to answer each customer message that "
        "comes after the first answer, while the ticket is open. 0 = no such target.",
    )
    time_unit = fields.Selection(related="policy_id.time_unit")

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._sla_retarget_policies(lines.policy_id)
        return lines

    def write(self, vals):
        policies = self.policy_id
        res = super().write(vals)
        self._sla_retarget_policies(policies | self.policy_id)
        return res

    def unlink(self):
        policies = self.policy_id
        res = super().unlink()
        self._sla_retarget_policies(policies.exists())
        return res

    @api.model
    def _sla_retarget_policies(self, policies):
        # Within a write of the policy's own lines the policy re-targets once.
        if not self.env.context.get("sla_policy_write"):
            policies._sla_retarget()

    @api.constrains("response_target", "resolution_target", "next_reply_target")
    def _check_targets(self):
        for line in self:
            if line.response_target <= 0:
                raise ValidationError(
                    _(
                        "Response: the target must be a positive working time, not "
                        "%(value)s (policy %(policy)s).",
                        value=line.response_target,
                        policy=line.policy_id.name,
                    )
                )
            if line.next_reply_target < 0:
                raise ValidationError(
                    _(
                        "Next reply: the target cannot be negative (%(value)s, policy "
                        "%(policy)s). Use 0 for no next-reply target.",
                        value=line.next_reply_target,
                        policy=line.policy_id.name,
                    )
                )
            if line.resolution_target < 0:
                raise ValidationError(
                    _(
                        "Resolution: the target cannot be negative (%(value)s, policy "
                        "%(policy)s). Use 0 for no resolution target.",
                        value=line.resolution_target,
                        policy=line.policy_id.name,
                    )
                )
            if line.resolution_target and line.response_target > line.resolution_target:
                raise ValidationError(
                    _(
                        "Response: the target (%(response)s) cannot be longer than the "
                        "resolution target (%(resolution)s) in policy %(policy)s.",
                        response=line.response_target,
                        resolution=line.resolution_target,
                        policy=line.policy_id.name,
                    )
                )

    @api.constrains("priority", "type_id", "team_id", "policy_id")
    def _check_unique(self):
        for line in self:
            twins = line.policy_id.line_ids.filtered(
                lambda other, line=line: (
                    other != line
                    and other.priority == line.priority
                    and other.type_id == line.type_id
                    and other.team_id == line.team_id
                )
            )
            if twins:
                raise ValidationError(
                    _(
                        "Priority: policy %(policy)s already has a target for this "
                        "priority, type and team. Edit that line instead.",
                        policy=line.policy_id.name,
                    )
                )
