# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class ResourceCalendarAttendance(models.Model):
    """A change of a calendar's working periods re-targets the open SLA clocks
    counted on that calendar."""

    _inherit = "resource.calendar.attendance"

    @api.model_create_multi
    def create(self, vals_list):
        attendances = super().create(vals_list)
        attendances.calendar_id._sla_retarget()
        return attendances

    def write(self, vals):
        calendars = self.calendar_id
        res = super().write(vals)
        (calendars | self.calendar_id)._sla_retarget()
        return res

    def unlink(self):
        calendars = self.calendar_id
        res = super().unlink()
        calendars.exists()._sla_retarget()
        return res
