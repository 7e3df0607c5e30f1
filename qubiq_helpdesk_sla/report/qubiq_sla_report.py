# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from ..models.qubiq_sla_clock import CLOCK_KINDS, CLOCK_STATES
from ..models.qubiq_sla_policy_line import PRIORITIES
from ..models.res_users import SUPPORT_LEVELS


class QubiqSlaReport(models.Model):
    """SLA compliance: one row per SLA clock of a ticket under SLA (evolutivos and
    clocks that no longer apply are left out), for pivot and graph views.

    A clock that is still running past its deadline is already a breach: it counts as
    breached and weighs 0 in the met rate, as in the compliance summary."""

    _name = "qubiq.sla.report"
    _description = "SLA compliance analysis"
    _auto = False
    _order = "start_date desc"
    _rec_name = "ticket_id"
    # What the view reads: flushed before every query on it.
    _depends = {
        "qubiq.sla.clock": [
            "ticket_id",
            "kind",
            "state",
            "indicative",
            "contract_id",
            "start_date",
            "deadline",
            "reached_date",
            "target_minutes",
            "reached_minutes",
        ],
        "helpdesk.ticket": [
            "team_id",
            "commercial_partner_id",
            "type_id",
            "priority",
            "user_id",
            "support_level",
            "company_id",
        ],
        "helpdesk.ticket.type": ["sla_covered"],
    }

    clock_id = fields.Many2one("qubiq.sla.clock", string="SLA clock", readonly=True)
    ticket_id = fields.Many2one("helpdesk.ticket", readonly=True)
    kind = fields.Selection(
        CLOCK_KINDS,
        string="Clock",
        readonly=True,
    )
    state = fields.Selection(CLOCK_STATES, readonly=True)
    indicative = fields.Boolean(
        readonly=True, help="Indicative target (no maintenance contract)."
    )
    team_id = fields.Many2one("helpdesk.ticket.team", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    type_id = fields.Many2one("helpdesk.ticket.type", readonly=True)
    priority = fields.Selection(PRIORITIES, readonly=True)
    user_id = fields.Many2one("res.users", string="Agent", readonly=True)
    support_level = fields.Selection(SUPPORT_LEVELS, readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    contract_id = fields.Many2one("qubiq.support.contract", readonly=True)
    start_date = fields.Datetime(string="Received", readonly=True)
    deadline = fields.Datetime(readonly=True)
    reached_date = fields.Datetime(string="Reached", readonly=True)
    outcome = fields.Selection(
        [("met", "Met"), ("breached", "Breached"), ("ongoing", "On track")],
        readonly=True,
        help="Met in time; breached (missed, or running past its deadline); still on "
        "track.",
    )
    nbr = fields.Integer(string="Clocks", readonly=True, group_operator="sum")
    met_count = fields.Integer(string="Met", readonly=True, group_operator="sum")
    breached_count = fields.Integer(
        string="Breached",
        readonly=True,
        group_operator="sum",
        help="Missed, or still running past the deadline.",
    )
    met_rate = fields.Float(
        string="Met (%)",
        readonly=True,
        group_operator="avg",
        help="Share of the clocks that stopped in time, among those stopped or already "
        "overdue.",
    )
    target_hours = fields.Float(
        string="Target (working h)", readonly=True, group_operator="avg"
    )
    reached_hours = fields.Float(
        string="Time to reach (working h)",
        readonly=True,
        group_operator="avg",
        help="Working hours the clock took until the response or the resolution, "
        "pauses excluded. Empty while the clock runs.",
    )

    @property
    def _table_query(self):
        # "Overdue" is measured against the ORM's now (the same instant the rest of
        # the suite uses), passed as a parameter rather than the database's clock.
        return self.env.cr.mogrify(
            self._query_template(), {"now": fields.Datetime.now()}
        ).decode()

    def _query_template(self):
        return """
            SELECT c.id AS id,
                   c.id AS clock_id,
                   c.ticket_id,
                   c.kind,
                   c.state,
                   c.indicative,
                   c.contract_id,
                   c.start_date,
                   c.deadline,
                   c.reached_date,
                   t.team_id,
                   t.commercial_partner_id AS partner_id,
                   t.type_id,
                   t.priority,
                   t.user_id,
                   t.support_level,
                   t.company_id,
                   1 AS nbr,
                   CASE WHEN c.state = 'met' THEN 'met'
                        WHEN c.state = 'missed'
                          OR (c.state IN ('running', 'paused')
                              AND c.deadline < %(now)s)
                        THEN 'breached'
                        ELSE 'ongoing'
                   END AS outcome,
                   CASE WHEN c.state = 'met' THEN 1 ELSE 0 END AS met_count,
                   CASE WHEN c.state = 'missed'
                          OR (c.state IN ('running', 'paused')
                              AND c.deadline < %(now)s)
                        THEN 1 ELSE 0 END AS breached_count,
                   CASE WHEN c.state = 'met' THEN 100.0
                        WHEN c.state = 'missed'
                          OR (c.state IN ('running', 'paused')
                              AND c.deadline < %(now)s)
                        THEN 0.0
                   END AS met_rate,
                   c.target_minutes / 60.0 AS target_hours,
                   CASE WHEN c.state IN ('met', 'missed')
                        THEN c.reached_minutes / 60.0 END AS reached_hours
              FROM qubiq_sla_clock c
              JOIN helpdesk_ticket t ON t.id = c.ticket_id
              LEFT JOIN helpdesk_ticket_type tt ON tt.id = t.type_id
             WHERE c.state != 'cancelled'
               AND COALESCE(tt.sla_covered, TRUE)
        """
