# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.qubiq_helpdesk_sla.tests.common import SlaCase, madrid
from odoo.addons.queue_job.tests.common import trap_jobs


@tagged("post_install", "-at_install")
class TestRetargetJobs(SlaCase):
    def test_a_large_retarget_is_queued_in_batches(self):
        with freeze_time(madrid(2026, 3, 9, 9, 0)):
            tickets = self.env["helpdesk.ticket"].browse()
            for index in range(5):
                tickets |= self.new_ticket(priority="2", name=f"Ticket {index}")
        before = tickets.mapped("sla_resolution_deadline")
        Leaves = self.env["resource.calendar.leaves"].with_context(sla_retarget_batch=2)
        with freeze_time(madrid(2026, 3, 10, 9, 0)), trap_jobs() as trap:
            Leaves.create(
                {
                    "name": "San José",
                    "date_from": madrid(2026, 3, 13),
                    "date_to": madrid(2026, 3, 14),
                    "time_type": "leave",
                }
            )
            # Queued, not done: 5 open tickets (and the demo's) in batches of 2.
            self.assertGreaterEqual(len(trap.enqueued_jobs), 3)
            self.assertEqual(tickets.mapped("sla_resolution_deadline"), before)
            trap.perform_enqueued_jobs()
        tickets.invalidate_recordset()
        for ticket in tickets:
            # Grave: 48 h from Monday 9:00 -> Tuesday 17 9:00, a day later with the
            # holiday on Friday 13.
            self.assertEqual(ticket.sla_resolution_deadline, madrid(2026, 3, 18, 9, 0))

    def test_a_small_retarget_runs_at_once(self):
        with freeze_time(madrid(2026, 3, 9, 9, 0)):
            ticket = self.new_ticket(priority="2")
        with freeze_time(madrid(2026, 3, 10, 9, 0)), trap_jobs() as trap:
            self.env["qubiq.sla.clock"]._retarget(ticket, "test")
            self.assertFalse(trap.enqueued_jobs)
