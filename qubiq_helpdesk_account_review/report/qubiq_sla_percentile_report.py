# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from odoo.addons.qubiq_helpdesk_sla.models.qubiq_sla_clock import CLOCK_KINDS
from odoo.addons.qubiq_helpdesk_sla.models.qubiq_sla_policy_line import PRIORITIES


class QubiqSlaPercentileReport(models.Model):
    """The 90th percentile (and the median and mean) of the working time SLA clocks
    took to reach, per month, customer, priority and clock, for pivot and graph.

    A pivot measure is an SQL aggregate over rows (sum, avg, max...): a percentile
    is not one, and the percentile of a group cannot be rebuilt from its parts. So
    each row here is already a group, computed with ``percentile_cont(0.9)`` like
    the compliance summary's arithmetic; the measures are exact in the cells of
    month x customer x priority x clock, and totals show the largest of the cells
    they cover (the worst p90). Only stopped clocks count, as in the summary."""

    _name = "qubiq.sla.percentile.report"
    _description = "SLA response and resolution percentiles"
    _auto = False
    _order = "month desc"
    _depends = {
        "qubiq.sla.clock": [
            "ticket_id",
            "kind",
            "state",
            "indicative",
            "start_date",
            "reached_minutes",
        ],
        "helpdesk.ticket": ["commercial_partner_id", "priority", "company_id"],
        "helpdesk.ticket.type": ["sla_covered"],
    }

    month = fields.Date(readonly=True, help="First day of the month received.")
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    kind = fields.Selection(CLOCK_KINDS, string="Clock", readonly=True)
    priority = fields.Selection(PRIORITIES, readonly=True)
    indicative = fields.Boolean(
        readonly=True, help="Indicative target (no maintenance contract)."
    )
    count = fields.Integer(string="Stopped clocks", readonly=True, group_operator="sum")
    p90_hours = fields.Float(
        string="90th percentile (working h)",
        readonly=True,
        group_operator="max",
        help="Working hours within which 90 % of the clocks of the cell were "
        "reached. A total shows the worst of its cells.",
    )
    median_hours = fields.Float(
        string="Median (working h)", readonly=True, group_operator="max"
    )
    mean_hours = fields.Float(
        string="Mean (working h)", readonly=True, group_operator="avg"
    )

    @property
    def _table_query(self):
        # The month is the local month of the reception, in the reader's time zone
        # (the compliance summary's), passed as a parameter.
        tz = self.env.user.tz or "Europe/Madrid"
        return self.env.cr.mogrify(
            """
            SELECT g.*
              FROM (
                SELECT min(c.id) AS id,
                       date_trunc(
                           'month',
                           (c.start_date AT TIME ZONE 'UTC') AT TIME ZONE %(tz)s
                       )::date AS month,
                       t.commercial_partner_id AS partner_id,
                       t.company_id,
                       c.kind,
                       t.priority,
                       c.indicative,
                       count(*) AS count,
                       percentile_cont(0.9) WITHIN GROUP (
                           ORDER BY c.reached_minutes) / 60.0 AS p90_hours,
                       percentile_cont(0.5) WITHIN GROUP (
                           ORDER BY c.reached_minutes) / 60.0 AS median_hours,
                       avg(c.reached_minutes) / 60.0 AS mean_hours
                  FROM qubiq_sla_clock c
                  JOIN helpdesk_ticket t ON t.id = c.ticket_id
                  LEFT JOIN helpdesk_ticket_type ty ON ty.id = t.type_id
                 WHERE c.state IN ('met', 'missed')
                   AND COALESCE(ty.sla_covered, TRUE)
                 GROUP BY 2, 3, 4, 5, 6, 7
              ) g
            """,
            {"tz": tz},
        ).decode()
