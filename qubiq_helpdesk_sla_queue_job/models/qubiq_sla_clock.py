# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, models

from odoo.addons.qubiq_helpdesk_sla.models.qubiq_sla_clock_lifecycle import (
    RETARGET_BATCH,
)


class QubiqSlaClock(models.Model):
    _inherit = "qubiq.sla.clock"

    @api.model
    def _retarget(self, tickets, description, resync=True):
        """A re-target of more than one batch (a holiday added over thousands of open
        tickets) runs as one queued job per batch, so that the user's request ends
        at once and each batch commits on its own; a smaller one runs right away, as
        the user expects to see the deadline move."""
        batch_size = self.env.context.get("sla_retarget_batch", RETARGET_BATCH)
        if self.env.context.get("sla_retarget_job"):
            return super()._retarget(tickets, description, resync=resync)
        tickets = tickets.sudo().filtered(lambda t: not t.stage_id.closed)
        if len(tickets) <= batch_size:
            return super()._retarget(tickets, description, resync=resync)
        for start in range(0, len(tickets), batch_size):
            batch = tickets[start : start + batch_size]
            self.sudo().with_delay(
                description=_("Re-target SLA clocks: %s", description),
                identity_key=None,
            )._retarget_batch_job(batch.ids, description, resync)
        return tickets

    @api.model
    def _retarget_batch_job(self, ticket_ids, description, resync):
        """One queued batch of a large re-target (see :meth:`_retarget`)."""
        tickets = self.env["helpdesk.ticket"].browse(ticket_ids).exists()
        return self.with_context(sla_retarget_job=True)._retarget(
            tickets, description, resync=resync
        )
