# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class QubiqHoursBankThreshold(models.Model):
    """A level of remaining hours at which the account manager gets an activity and
    the customer an e-mail, once, until a new pack lifts the bank above it."""

    _name = "qubiq.hours.bank.threshold"
    _description = "Hours bank warning"
    _order = "bank_id, kind, value desc, id"

    bank_id = fields.Many2one(
        "qubiq.hours.bank", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="bank_id.company_id", store=True)
    kind = fields.Selection(
        [("percent", "% of the hours in force"), ("hours", "Hours left")],
        string="Warn at",
        required=True,
        default="percent",
    )
    value = fields.Float(
        required=True,
        default=20.0,
        help="Warn when the remaining hours fall to this level (20 % of a 40-hour "
        "pack: at 8 hours left).",
    )
    notified = fields.Boolean(
        readonly=True,
        copy=False,
        help="The warning for this level went out; it is re-armed when the bank "
        "climbs back above it.",
    )
    notified_date = fields.Datetime(string="Warned on", readonly=True, copy=False)

    @api.depends("kind", "value")
    def _compute_display_name(self):
        for threshold in self:
            value = f"{threshold.value:g}"
            if threshold.kind == "percent":
                threshold.display_name = _("%(value)s %%", value=value)
            else:
                threshold.display_name = _("%(value)s h", value=value)

    @api.constrains("kind", "value")
    def _check_value(self):
        for threshold in self:
            if threshold.value < 0 or (
                threshold.kind == "percent" and threshold.value > 100
            ):
                raise ValidationError(
                    _(
                        "Warnings: %(value)s is not a valid level; use hours left "
                        "(0 or more) or a percentage between 0 and 100.",
                        value=threshold.value,
                    )
                )
