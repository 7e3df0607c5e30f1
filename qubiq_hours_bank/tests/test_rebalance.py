# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import random

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import MINUTE, HoursBankCase


@tagged("post_install", "-at_install")
@freeze_time("2026-04-20 12:00:00")
class TestRebalance(HoursBankCase):
    """Editing or deleting a timesheet re-balances the bank; nothing is counted
    twice; locked lines cannot change silently."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.old = cls.sell_pack(cls.other_contact, 2, day="2026-04-01").hours_pack_ids
        cls.new = cls.sell_pack(cls.other_contact, 10, day="2026-04-01").hours_pack_ids
        cls.bank = cls.old.bank_id
        cls.ticket = cls.ticket_for(cls.other_contact)

    def assertConserved(self):
        """Every billed minute is allocated once: packs plus overage equal the
        billed time, line by line and in total."""
        lines = self.env["account.analytic.line"].search(
            [("hours_bank_id", "=", self.bank.id)]
        )
        for line in lines:
            allocated = sum(line.hours_allocation_ids.mapped("hours"))
            expected = line.hours_billed if line.hours_billable else 0.0
            self.assertEqual(self.minutes(allocated), self.minutes(expected), line.name)
        figures = self.balance(self.bank)
        self.assertEqual(
            figures["from_packs"] + figures["overage"] + figures["direct"],
            figures["consumed_billed"],
        )
        self.assertEqual(
            figures["remaining"] + figures["from_packs"] + figures["expired"],
            figures["contracted"],
        )
        return figures

    def test_editing_a_duration_rebalances(self):
        first = self.log(self.ticket, 60, day="2026-04-02")
        second = self.log(self.ticket, 60, day="2026-04-03")
        self.assertEqual(second.hours_allocation_ids.pack_id, self.old)
        first.unit_amount = 100 * MINUTE  # 2:00 billed: the old pack is used up
        self.assertEqual(self.minutes(first.hours_billed), 120)
        self.assertEqual(second.hours_allocation_ids.pack_id, self.new)
        figures = self.assertConserved()
        self.assertEqual(figures["remaining"], 12 * 60 - 180)
        first.unit_amount = 20 * MINUTE
        self.assertEqual(second.hours_allocation_ids.pack_id, self.old)
        self.assertEqual(self.assertConserved()["remaining"], 12 * 60 - 90)

    def test_deleting_a_line_rebalances(self):
        first = self.log(self.ticket, 90, day="2026-04-02")
        second = self.log(self.ticket, 90, day="2026-04-03")
        self.assertEqual(len(second.hours_allocation_ids), 2, "30 old + 60 new")
        first.unlink()
        self.assertEqual(second.hours_allocation_ids.pack_id, self.old)
        self.assertEqual(self.assertConserved()["remaining"], 12 * 60 - 90)

    def test_moving_a_date_and_a_ticket(self):
        line = self.log(self.ticket, 30, day="2026-04-10")
        line.date = "2026-04-05"
        self.assertEqual(line.hours_allocation_ids.date.isoformat(), "2026-04-05")
        covered = self.ticket_for(self.contact)  # Muebles Ebro: contract covers it
        line.ticket_id = covered
        self.assertFalse(line.hours_billable)
        self.assertFalse(line.hours_allocation_ids)
        figures = self.assertConserved()
        self.assertEqual(figures["consumed_billed"], 0)
        self.assertEqual(figures["remaining"], 12 * 60)

    def test_per_ticket_day_siblings_rebilled(self):
        self.bank.rounding_scope = "ticket_day"
        first = self.log(self.ticket, 20, day="2026-04-02")
        second = self.log(self.ticket, 20, day="2026-04-02")
        self.assertEqual(
            [self.minutes(first.hours_billed), self.minutes(second.hours_billed)],
            [30, 30],
        )
        first.unlink()
        self.assertEqual(self.minutes(second.hours_billed), 30)
        second.date = "2026-04-03"
        third = self.log(self.ticket, 5, day="2026-04-03")
        self.assertEqual(self.minutes(third.hours_billed), 0, "25 min: one block")
        self.assertConserved()

    def allocations(self):
        """The bank's consumption rows, comparable."""
        return sorted(
            (a.timesheet_id.id, a.pack_id.id, a.kind, round(a.hours, 6), a.date)
            for a in self.env["qubiq.hours.allocation"].search(
                [("bank_id", "=", self.bank.id)]
            )
        )

    def test_same_day_lines_consumed_from_the_new_line(self):
        """Lines logged one after another on one day, on two tickets billed per
        ticket and day, across the end of the 2-hour pack: a new line is consumed
        from its own position (the day's earlier lines keep their consumption and
        count as used), and the bank ends as a consumption of all of it from
        scratch would leave it."""
        self.bank.rounding_scope = "ticket_day"
        other = self.ticket_for(self.other_contact, name="Otra consulta")
        entries = [(self.ticket, 50), (other, 20), (self.ticket, 5), (other, 40)]
        entries += [(self.ticket, 35), (other, 10), (self.ticket, 25)]
        for ticket, minutes in entries:
            self.log(ticket, minutes, day="2026-04-02")
        self.log(self.ticket, 15, day="2026-04-01")  # earlier day: all again
        self.log(other, 30, day="2026-04-02")
        stored = self.allocations()
        self.assertIn(self.old.id, {row[1] for row in stored})
        self.assertIn(self.new.id, {row[1] for row in stored})
        self.bank._hours_reconsume(rebill=True)
        self.assertEqual(self.allocations(), stored)
        figures = self.assertConserved()
        self.assertEqual(figures["from_packs"], figures["consumed_billed"])

    def test_random_edits_match_a_consumption_from_scratch(self):
        """Seeded random timesheets on three tickets over five days, across the
        end of both packs (2 h and 10 h), billed per ticket and day and per line:
        lines logged, lengthened, moved to another day or ticket, deleted. After
        every step the stored consumption is the one a consumption of the whole
        bank from scratch gives (a timesheet is consumed from its own position,
        reading only the lines from there and its rounding group)."""
        tickets = [self.ticket] + [
            self.ticket_for(self.other_contact, name=name)
            for name in ("Otra consulta", "Informe de ventas")
        ]
        days = [f"2026-04-{day:02d}" for day in range(1, 6)]
        for scope, seed in (("ticket_day", 7), ("line", 11), ("ticket_day", 23)):
            self.bank.rounding_scope = scope
            rng = random.Random(seed)
            lines = self.env["account.analytic.line"]
            for step in range(45):
                action = rng.choice(["log"] * 4 + ["length", "day", "ticket", "drop"])
                if action == "log" or not lines:
                    minutes = rng.choice([5, 10, 20, 25, 40, 50, 70])
                    lines |= self.log(rng.choice(tickets), minutes, rng.choice(days))
                    action = "log"
                else:
                    line = rng.choice(lines)
                    if action == "length":
                        line.unit_amount = rng.choice([5, 15, 35, 65]) * MINUTE
                    elif action == "day":
                        line.date = rng.choice(days)
                    elif action == "ticket":
                        line.ticket_id = rng.choice(tickets)
                    else:
                        lines -= line
                        line.unlink()
                stored = self.allocations()
                self.bank._hours_reconsume(rebill=True)
                self.assertEqual(
                    self.allocations(), stored, f"{scope}, seed {seed}, step {step}"
                )
            self.assertConserved()
            lines.unlink()

    def test_daily_cron_consumes_again_what_changed(self):
        """The daily cron consumes again the banks whose consumption changed since
        its last run: a consumption left stale (as by a pass after commit that
        never ran) is put right, and the bank's status follows."""
        first = self.log(self.ticket, 90, day="2026-04-02")
        second = self.log(self.ticket, 60, day="2026-04-03")
        stored = self.allocations()
        # Stale: the second line in the old pack too, which it does not fit in
        # (rows only the consumption writes, as superuser).
        second.hours_allocation_ids.sudo().unlink()
        self.env["qubiq.hours.allocation"].sudo().create(
            {
                "timesheet_id": second.id,
                "bank_id": self.bank.id,
                "pack_id": self.old.id,
                "kind": "pack",
                "date": second.date,
                "hours": 1.0,
            }
        )
        self.assertNotEqual(self.allocations(), stored)
        self.env["qubiq.hours.bank"]._cron_check_expiry()
        self.assertEqual(self.allocations(), stored)
        self.assertEqual(self.minutes(first.hours_billed), 90)
        self.assertConserved()

    def test_many_lines_nothing_double_counted(self):
        lines = self.env["account.analytic.line"]
        for day in range(1, 20):
            lines |= self.log(self.ticket, 7 * day, day=f"2026-04-{day:02d}")
        lines[3].unlink()
        lines[7].unit_amount = 2.0
        lines[10].date = "2026-04-01"
        figures = self.assertConserved()
        self.assertGreater(figures["overage"], 0)

    def test_lock_date_freezes_a_period(self):
        line = self.log(self.ticket, 30, day="2026-04-02")
        self.bank.lock_date = "2026-04-10"
        self.assertTrue(line.hours_locked)
        self.assertTrue(line.readonly_timesheet)
        with self.assertRaisesRegex(UserError, "locked in the hours bank"):
            line.with_user(self.consultant).unit_amount = 2.0
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            line.with_user(self.consultant).unlink()
        with self.assertRaisesRegex(UserError, "closed until"):
            self.log(self.ticket, 30, day="2026-04-09")
        # The description can still be fixed; later days are open.
        line.with_user(self.consultant).name = "Revisión del albarán"
        later = self.log(self.ticket, 30, day="2026-04-11")
        self.assertTrue(later.hours_allocation_ids)
        # A rule change does not rebill the closed period.
        self.bank.write({"block_minutes": 60, "minimum_minutes": 60})
        self.assertEqual(self.minutes(line.hours_billed), 30)
        self.assertEqual(self.minutes(later.hours_billed), 60)
        # The type of a ticket with locked time cannot change its billing.
        with self.assertRaisesRegex(UserError, "bill them differently"):
            self.ticket.hours_provider_error = True
        self.bank.lock_date = False
        self.ticket.hours_provider_error = True
        self.assertFalse(line.hours_billable)
        self.assertConserved()

    def test_writing_the_same_values_is_no_change(self):
        """helpdesk_mgmt_timesheet rewrites the project of every timesheet when the
        ticket is saved: harmless on locked lines."""
        line = self.log(self.ticket, 30, day="2026-04-02")
        self.bank.lock_date = "2026-04-10"
        line.write({"project_id": line.project_id.id, "unit_amount": line.unit_amount})
        self.ticket.write({"project_id": self.project.id})
        self.assertEqual(self.minutes(line.hours_billed), 30)
