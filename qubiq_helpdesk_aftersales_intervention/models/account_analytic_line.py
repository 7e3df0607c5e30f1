# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

# What the signed intervention report shows of a timesheet line: changing it
# after the customer signed would make the signature vouch for something else.
SIGNED_TIMESHEET_FIELDS = {
    "task_id",
    "unit_amount",
    "date",
    "date_time",
    "employee_id",
    "user_id",
    "name",
}


class AccountAnalyticLine(models.Model):
    _inherit = "account.analytic.line"

    @api.model_create_multi
    def create(self, vals_list):
        tasks = self.env["project.task"].browse(
            {vals["task_id"] for vals in vals_list if vals.get("task_id")}
        )
        tasks._intervention_check_unsigned()
        ticket_by_task = {task.id: task.sudo().helpdesk_ticket_id.id for task in tasks}
        for vals in vals_list:
            # Time on site is time on the ticket: helpdesk_mgmt_timesheet counts
            # it in the ticket's hours and the hours bank (when installed)
            # bills it by the ticket's rules, as any time on that ticket.
            if vals.get("task_id") and not vals.get("ticket_id"):
                ticket_id = ticket_by_task.get(vals["task_id"])
                if ticket_id:
                    vals["ticket_id"] = ticket_id
        return super().create(vals_list)

    def write(self, vals):
        if SIGNED_TIMESHEET_FIELDS & set(vals):
            self.sudo().task_id._intervention_check_unsigned()
        if vals.get("task_id"):
            task = self.env["project.task"].browse(vals["task_id"])
            task._intervention_check_unsigned()
            ticket = task.sudo().helpdesk_ticket_id
            if ticket and not vals.get("ticket_id"):
                vals = dict(vals, ticket_id=ticket.id)
        return super().write(vals)

    def unlink(self):
        self.sudo().task_id._intervention_check_unsigned()
        return super().unlink()

    def _compute_readonly_timesheet(self):
        """Time of a signed intervention is read-only in every timesheet view."""
        res = super()._compute_readonly_timesheet()
        # sudo: the signature decides, whatever the user may read of the task
        signed_ids = set(self.sudo().task_id.filtered("intervention_signature").ids)
        for line in self:
            if line.task_id.id in signed_ids:
                line.readonly_timesheet = True
        return res
