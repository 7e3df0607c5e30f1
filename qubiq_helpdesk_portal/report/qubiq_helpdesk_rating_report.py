# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from odoo.addons.rating.models import rating_data


class QubiqHelpdeskRatingReport(models.Model):
    """One line per rated ticket: satisfaction per agent, team, customer, type and
    period (Helpdesk > Reporting > Satisfaction)."""

    _name = "qubiq.helpdesk.rating.report"
    _description = "Helpdesk satisfaction analysis"
    _auto = False
    _order = "date desc"
    _rec_name = "ticket_id"

    date = fields.Datetime(string="Rated on", readonly=True)
    rating_id = fields.Many2one("rating.rating", string="Rating entry", readonly=True)
    ticket_id = fields.Many2one("helpdesk.ticket", readonly=True)
    team_id = fields.Many2one("helpdesk.ticket.team", readonly=True)
    user_id = fields.Many2one("res.users", string="Agent", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    contact_id = fields.Many2one("res.partner", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    type_id = fields.Many2one("helpdesk.ticket.type", readonly=True)
    rating = fields.Float(string="Average rating", group_operator="avg", readonly=True)
    rating_text = fields.Selection(
        rating_data.RATING_TEXT, string="Rating", readonly=True
    )
    satisfaction = fields.Float(
        string="Satisfied (%)",
        group_operator="avg",
        readonly=True,
        help="Share of positive ratings.",
    )
    unhappy_count = fields.Integer(
        string="Not positive", group_operator="sum", readonly=True
    )
    feedback = fields.Text(string="Comment", readonly=True)

    @property
    def _table_query(self):
        return f"""
            SELECT r.id AS id,
                   r.id AS rating_id,
                   COALESCE(r.write_date, r.create_date) AS date,
                   t.id AS ticket_id,
                   t.team_id AS team_id,
                   t.user_id AS user_id,
                   t.commercial_partner_id AS partner_id,
                   COALESCE(r.partner_id, t.partner_id) AS contact_id,
                   t.company_id AS company_id,
                   t.type_id AS type_id,
                   r.rating AS rating,
                   r.rating_text AS rating_text,
                   CASE WHEN r.rating >= {rating_data.RATING_LIMIT_SATISFIED:d}
                        THEN 100.0 ELSE 0.0 END AS satisfaction,
                   CASE WHEN r.rating < {rating_data.RATING_LIMIT_SATISFIED:d}
                        THEN 1 ELSE 0 END AS unhappy_count,
                   r.feedback AS feedback
              FROM rating_rating r
              JOIN helpdesk_ticket t
                ON r.res_model = 'helpdesk.ticket' AND t.id = r.res_id
             WHERE r.consumed AND r.rating >= {rating_data.RATING_LIMIT_MIN:d}
        """
