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

    def _hours_claim(self):
        """Mark these warnings as sent and return those this transaction marked:
        only they may be sent.

        Several workers: two transactions may find the same level crossed, each in
        its own snapshot. The conditional UPDATE is a conflicting write: the
        transaction that comes second waits for the first, then fails with a
        serialization error (REPEATABLE READ) before it schedules anything; Odoo
        retries an HTTP request on a fresh snapshot, where the level is already
        marked, and a cron runs again later. ``notified`` is an untracked flag that
        nothing computes from, hence plain SQL."""
        if not self:
            return self
        self.flush_recordset(["notified", "notified_date"])
        self.env.cr.execute(
            """
            UPDATE qubiq_hours_bank_threshold
               SET notified = TRUE, notified_date = %s,
                   write_uid = %s, write_date = (now() at time zone 'UTC')
             WHERE id IN %s AND notified IS NOT TRUE
         RETURNING id
            """,
            [fields.Datetime.now(), self.env.uid, tuple(self.ids)],
        )
        claimed = self.browse([row[0] for row in self.env.cr.fetchall()])
        self.invalidate_recordset(
            ["notified", "notified_date", "write_uid", "write_date"]
        )
        return claimed
