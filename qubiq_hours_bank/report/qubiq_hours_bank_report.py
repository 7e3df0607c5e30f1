# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from ..models.account_analytic_line import WORK_KINDS


class QubiqHoursBankReport(models.Model):
    """Hours-bank movements for pivot and graph: packs credited (+), timesheets
    (real and billed time), consumption (from packs, overage, apart) and expiries.

    Summed over all time, ``stock_hours`` is each bank's remaining stock: packs add
    their hours on their start, consumption from packs and unused hours at expiry
    take them away. The dashboard shows the same figures computed by
    ``qubiq.hours.bank._hours_balances``.
    """

    _name = "qubiq.hours.bank.report"
    _description = "Hours bank analysis"
    _auto = False
    _order = "date desc"
    _rec_name = "date"

    date = fields.Date(readonly=True)
    movement = fields.Selection(
        [
            ("pack", "Pack credited"),
            ("timesheet", "Timesheet"),
            ("consumption", "Consumption"),
            ("expiry", "Pack expired"),
        ],
        readonly=True,
    )
    bank_id = fields.Many2one("qubiq.hours.bank", string="Hours bank", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    account_manager_id = fields.Many2one(
        "res.users", string="Account manager", readonly=True
    )
    company_id = fields.Many2one("res.company", readonly=True)
    pack_id = fields.Many2one("qubiq.hours.pack", readonly=True)
    ticket_id = fields.Many2one("helpdesk.ticket", readonly=True)
    ticket_type_id = fields.Many2one(
        "helpdesk.ticket.type", string="Ticket type", readonly=True
    )
    task_id = fields.Many2one("project.task", readonly=True)
    project_id = fields.Many2one("project.project", readonly=True)
    employee_id = fields.Many2one("hr.employee", readonly=True)
    work_kind = fields.Selection(WORK_KINDS, string="Work", readonly=True)
    billing_state = fields.Selection(
        [
            ("prepaid", "Prepaid"),
            ("pending", "To invoice"),
            ("ordered", "On a sales order"),
            ("invoiced", "Invoiced"),
        ],
        string="Invoicing",
        readonly=True,
    )
    contracted_hours = fields.Float(string="Contracted", readonly=True)
    real_hours = fields.Float(string="Consumed (real)", readonly=True)
    billed_hours = fields.Float(string="Consumed (billed)", readonly=True)
    non_billable_hours = fields.Float(string="Not billable", readonly=True)
    from_pack_hours = fields.Float(string="From packs", readonly=True)
    overage_hours = fields.Float(string="Overage", readonly=True)
    direct_hours = fields.Float(string="Invoiced apart", readonly=True)
    not_invoiced_hours = fields.Float(string="Not invoiced", readonly=True)
    expired_hours = fields.Float(string="Expired", readonly=True)
    stock_hours = fields.Float(string="Stock movement", readonly=True)

    @property
    def _table_query(self):
        return """
            SELECT row_number() OVER (ORDER BY m.date, m.movement) AS id, m.*,
                   COALESCE(rp.account_manager_id, rp.user_id) AS account_manager_id
            FROM (
                SELECT p.date_start AS date, 'pack' AS movement,
                       p.bank_id, b.partner_id, b.company_id, p.id AS pack_id,
                       NULL::integer AS ticket_id, NULL::integer AS ticket_type_id,
                       NULL::integer AS task_id, NULL::integer AS project_id,
                       NULL::integer AS employee_id, NULL::varchar AS work_kind,
                       NULL::varchar AS billing_state,
                       p.hours AS contracted_hours, 0.0 AS real_hours,
                       0.0 AS billed_hours, 0.0 AS non_billable_hours,
                       0.0 AS from_pack_hours, 0.0 AS overage_hours,
                       0.0 AS direct_hours, 0.0 AS not_invoiced_hours,
                       0.0 AS expired_hours, p.hours AS stock_hours
                  FROM qubiq_hours_pack p
                  JOIN qubiq_hours_bank b ON b.id = p.bank_id
                 WHERE p.state IN ('active', 'expired')
                UNION ALL
                SELECT l.date, 'timesheet', l.hours_bank_id, b.partner_id,
                       b.company_id, NULL, l.ticket_id, t.type_id, l.task_id,
                       l.project_id, l.employee_id, l.hours_work_kind, NULL,
                       0.0,
                       CASE WHEN l.hours_billable THEN l.unit_amount ELSE 0.0 END,
                       COALESCE(l.hours_billed, 0.0),
                       CASE WHEN l.hours_billable THEN 0.0 ELSE l.unit_amount END,
                       0.0, 0.0, 0.0, 0.0, 0.0, 0.0
                  FROM account_analytic_line l
                  JOIN qubiq_hours_bank b ON b.id = l.hours_bank_id
             LEFT JOIN helpdesk_ticket t ON t.id = l.ticket_id
                UNION ALL
                SELECT a.date, 'consumption', a.bank_id, b.partner_id, b.company_id,
                       a.pack_id, l.ticket_id, t.type_id, l.task_id, l.project_id,
                       l.employee_id, l.hours_work_kind, a.billing_state,
                       0.0, 0.0, 0.0, 0.0,
                       CASE WHEN a.kind = 'pack' THEN a.hours ELSE 0.0 END,
                       CASE WHEN a.kind = 'overage' THEN a.hours ELSE 0.0 END,
                       CASE WHEN a.kind = 'direct' THEN a.hours ELSE 0.0 END,
                       CASE WHEN a.kind != 'pack'
                             AND a.billing_state IN ('pending', 'ordered')
                            THEN a.hours ELSE 0.0 END,
                       0.0,
                       CASE WHEN a.kind = 'pack' THEN -a.hours ELSE 0.0 END
                  FROM qubiq_hours_allocation a
                  JOIN qubiq_hours_bank b ON b.id = a.bank_id
                  JOIN account_analytic_line l ON l.id = a.timesheet_id
             LEFT JOIN helpdesk_ticket t ON t.id = l.ticket_id
                UNION ALL
                SELECT p.date_end + 1, 'expiry', p.bank_id, b.partner_id,
                       b.company_id, p.id, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                       0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
                       GREATEST(p.hours - COALESCE(used.hours, 0.0), 0.0),
                       -GREATEST(p.hours - COALESCE(used.hours, 0.0), 0.0)
                  FROM qubiq_hours_pack p
                  JOIN qubiq_hours_bank b ON b.id = p.bank_id
             LEFT JOIN (SELECT pack_id, SUM(hours) AS hours
                          FROM qubiq_hours_allocation
                         GROUP BY pack_id) used ON used.pack_id = p.id
                 WHERE p.state IN ('active', 'expired')
                   AND p.date_end < CURRENT_DATE
            ) m
            JOIN res_partner rp ON rp.id = m.partner_id
        """
