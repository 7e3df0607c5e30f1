# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class QubiqSlaPolicy(models.Model):
    _name = "qubiq.sla.policy"
    _description = "SLA policy"
    _order = "name, id"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working hours",
        default=lambda self: self.env.company.resource_calendar_id,
        help="Working time in which the targets are counted; its global leaves (public "
        "holidays) do not count.",
    )
    time_unit = fields.Selection(
        [("hours", "Working hours"), ("minutes", "Working minutes")],
        required=True,
        default="hours",
    )
    line_ids = fields.One2many(
        "qubiq.sla.policy.line", "policy_id", string="Targets", copy=True
    )
    description = fields.Text(translate=True)

    @api.constrains("calendar_id")
    def _check_calendar_id(self):
        for policy in self:
            if not policy.calendar_id:
                raise ValidationError(
                    _(
                        "Working hours: the SLA policy %(policy)s needs a working "
                        "calendar "
                        "to count its targets in. Choose one, e.g. the company's.",
                        policy=policy.name,
                    )
                )

    def write(self, vals):
        res = super(QubiqSlaPolicy, self.with_context(sla_policy_write=True)).write(
            vals
        )
        if {"calendar_id", "time_unit", "line_ids"} & set(vals):
            self._sla_retarget()
        return res

    def _sla_retarget(self):
        """Re-target the open clocks counted by these policies (their targets, unit
        or working hours changed)."""
        Clock = self.env["qubiq.sla.clock"]
        for policy in self:
            Clock._retarget_where(
                [("policy_id", "=", policy.id)],
                _("SLA policy %s changed", policy.display_name),
            )

    def _unit_seconds(self):
        self.ensure_one()
        return 3600 if self.time_unit == "hours" else 60

    def _find_line(self, priority, ticket_type, team):
        """The most specific target line for a priority, type and team, or an empty
        record.

        A line naming a type and/or a team only applies to them; among applicable lines,
        one naming both wins over one naming the type, then the team, then neither."""
        self.ensure_one()
        best, best_score = self.env["qubiq.sla.policy.line"], -1
        for line in self.line_ids:
            if line.priority != priority:
                continue
            if line.type_id and line.type_id != ticket_type:
                continue
            if line.team_id and line.team_id != team:
                continue
            score = (2 if line.type_id else 0) + (1 if line.team_id else 0)
            if score > best_score:
                best, best_score = line, score
        return best
