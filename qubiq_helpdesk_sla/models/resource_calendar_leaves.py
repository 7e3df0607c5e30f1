# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, models
from odoo.tools.misc import format_date

# A change of one of these moves the working time of the calendars concerned.
WATCHED = ("date_from", "date_to", "calendar_id", "resource_id", "time_type")


class ResourceCalendarLeaves(models.Model):
    """Public holidays (leaves without a resource) are not working time for the SLA
    clocks: adding, moving or removing one re-targets the open clocks counted on
    the calendars it concerns."""

    _inherit = "resource.calendar.leaves"

    @api.model_create_multi
    def create(self, vals_list):
        leaves = super().create(vals_list)
        self._sla_retarget(
            leaves._sla_scope(), _("%s added as a holiday", leaves._sla_names())
        )
        return leaves

    def write(self, vals):
        if not set(WATCHED) & set(vals):
            return super().write(vals)
        scope = self._sla_scope()
        res = super().write(vals)
        scope = _union(scope, self._sla_scope())
        self._sla_retarget(scope, _("Holiday changed: %s", self._sla_names()))
        return res

    def unlink(self):
        scope, names = self._sla_scope(), self._sla_names()
        res = super().unlink()
        self._sla_retarget(scope, _("%s no longer a holiday", names))
        return res

    def _sla_scope(self):
        """The calendars whose working time these leaves change: a set of calendar
        ids, None for every calendar (a holiday without a calendar), or an empty
        set (leaves of one resource, or not counted as leave)."""
        scope = set()
        for leave in self:
            if leave.resource_id or leave.time_type != "leave":
                continue
            if not leave.calendar_id:
                return None
            scope.add(leave.calendar_id.id)
        return scope

    def _sla_names(self):
        return ", ".join(
            f"{leave.name or ''} ({format_date(self.env, leave.date_from)})".strip()
            for leave in self
        )

    @api.model
    def _sla_retarget(self, scope, description):
        if scope == set():
            return
        domain = [] if scope is None else [("calendar_id", "in", list(scope))]
        # The clocks keep their calendar and targets: only working time moved.
        self.env["qubiq.sla.clock"]._retarget_where(domain, description, resync=False)


def _union(first, second):
    if first is None or second is None:
        return None
    return first | second
