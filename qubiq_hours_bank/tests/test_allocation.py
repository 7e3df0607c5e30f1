# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged

from .common import HoursBankCase


@tagged("post_install", "-at_install")
class TestAllocation(HoursBankCase):
    """Several packs consumed oldest-first (expiring first), expiry, overage."""

    def pack_minutes(self, pack):
        pack.invalidate_recordset()
        return self.minutes(pack.consumed_hours), self.minutes(pack.remaining_hours)

    @freeze_time("2026-04-15 12:00:00")
    def test_two_packs_consumed_oldest_first(self):
        old = self.sell_pack(self.other_contact, 2, day="2026-03-02").hours_pack_ids
        new = self.sell_pack(self.other_contact, 10, day="2026-04-01").hours_pack_ids
        ticket = self.ticket_for(self.other_contact)
        first = self.log(ticket, 80, day="2026-04-02")  # 1:30 from the old pack
        second = self.log(ticket, 55, day="2026-04-03")  # 0:30 old + 0:30 new
        self.assertEqual(first.hours_allocation_ids.pack_id, old)
        self.assertEqual(
            sorted(
                (a.pack_id.id, self.minutes(a.hours))
                for a in second.hours_allocation_ids
            ),
            sorted([(old.id, 30), (new.id, 30)]),
        )
        self.assertEqual(self.pack_minutes(old), (120, 0))
        self.assertEqual(self.pack_minutes(new), (30, 570))
        figures = self.balance(self.bank_of(self.other_customer))
        self.assertEqual(figures["from_packs"], 150)
        self.assertEqual(figures["remaining"], 570)
        self.assertEqual(figures["overage"], 0)

    @freeze_time("2026-04-15 12:00:00")
    def test_bank_users_read_the_consumption_of_every_timesheet(self):
        """The bank form lists the consumption of every agent's timesheet: its
        readers (agents without timesheet rights, or who read only their own
        timesheets) read each line's name without reading the timesheet."""
        self.sell_pack(self.other_contact, 2, day="2026-03-02")
        ticket = self.ticket_for(self.other_contact)
        line = self.log(ticket, 30, day="2026-04-02", name="Revisar la impresora")
        bank = self.bank_of(self.other_customer)
        for groups in (
            "helpdesk_mgmt.group_helpdesk_user_own",
            "helpdesk_mgmt.group_helpdesk_user,hr_timesheet.group_hr_timesheet_user",
        ):
            reader = new_test_user(
                self.env, login=f"hb_reader_{len(groups)}", groups=groups
            )
            values = bank.with_user(reader).web_read(
                {"allocation_ids": {"fields": {"display_name": {}, "name": {}}}}
            )[0]
            self.assertEqual(
                [row["display_name"] for row in values["allocation_ids"]],
                ["Revisar la impresora"],
            )
            with self.assertRaises(AccessError):
                line.with_user(reader).read(["name"])

    @freeze_time("2026-04-15 12:00:00")
    def test_the_pack_expiring_first_goes_first(self):
        """A newer pack that expires sooner is consumed before an older one that
        does not expire."""
        lasting = self.sell_pack(
            self.other_contact, 10, day="2026-03-02", months=0
        ).hours_pack_ids
        promo = self.sell_pack(
            self.other_contact, 2, day="2026-04-01", months=1
        ).hours_pack_ids
        self.assertEqual(promo.date_end, date(2026, 4, 30))
        ticket = self.ticket_for(self.other_contact)
        line = self.log(ticket, 60, day="2026-04-05")
        self.assertEqual(line.hours_allocation_ids.pack_id, promo)
        self.assertEqual(self.pack_minutes(lasting), (0, 600))

    def test_expiry(self):
        """An expired pack is not consumed after its last day, its unused hours are
        reported expired, and the cron marks it and tells the account manager."""
        with freeze_time("2026-03-10 12:00:00"):
            pack = self.sell_pack(
                self.other_contact, 3, day="2026-01-05", months=2
            ).hours_pack_ids
            self.assertEqual(pack.date_end, date(2026, 3, 4))
            ticket = self.ticket_for(self.other_contact)
            inside = self.log(ticket, 60, day="2026-03-04")  # its last day
            after = self.log(ticket, 60, day="2026-03-05")
            self.assertEqual(inside.hours_allocation_ids.pack_id, pack)
            self.assertEqual(after.hours_allocation_ids.kind, "overage")
            bank = self.bank_of(self.other_customer)
            figures = self.balance(bank)
            self.assertEqual(figures["remaining"], 0)
            self.assertEqual(figures["expired"], 120)
            self.assertEqual(figures["overage"], 60)
            # On its last day the pack still had 2 hours.
            self.assertEqual(self.balance(bank, date_to="2026-03-04")["remaining"], 120)
            cron = self.env.ref("qubiq_hours_bank.ir_cron_qubiq_hours_bank_expiry")
            cron.method_direct_trigger()
            self.assertEqual(pack.state, "expired")
            activity = bank.activity_ids.filtered(lambda a: pack.name in str(a.note))
            self.assertEqual(activity.user_id, self.manager)
            self.assertIn("2:00", str(activity.note))
            # A timesheet logged late for a day the pack was valid still uses it.
            late = self.log(ticket, 30, day="2026-03-03")
            self.assertEqual(late.hours_allocation_ids.pack_id, pack)
            self.assertEqual(self.balance(bank)["expired"], 90)

    @freeze_time("2026-04-15 12:00:00")
    def test_overage_never_blocks_an_urgent_ticket(self):
        self.sell_pack(self.other_contact, 1, day="2026-04-01")
        bank = self.bank_of(self.other_customer)
        ticket = self.ticket_for(
            self.other_contact, name="Servidor caído: nadie puede entrar", priority="3"
        )
        self.log(ticket, 60, day="2026-04-10")
        self.assertEqual(bank.balance_state, "exhausted")
        # The bank is empty; the critical ticket is still worked on and logged.
        ticket.invalidate_recordset()
        self.assertEqual(ticket.hours_bank_state, "exhausted")
        # The consultant logs the time in the timesheet form, as every day.
        form = Form(
            self.env["account.analytic.line"].with_user(self.consultant),
            view="hr_timesheet.hr_timesheet_line_form",
        )
        form.project_id = self.project
        form.ticket_id = ticket
        form.name = "Reinicio del servicio"
        form.unit_amount = 95 / 60
        line = form.save()
        self.assertEqual(self.minutes(line.hours_billed), 120)
        self.assertEqual(line.hours_allocation_ids.kind, "overage")
        self.assertEqual(line.hours_allocation_ids.billing_state, "pending")
        figures = self.balance(bank)
        self.assertEqual(figures["overage"], 120)
        self.assertEqual(figures["not_invoiced"], 120)
        self.assertEqual(figures["remaining"], 0)
        self.assertEqual(bank.balance_state, "overage")

    @freeze_time("2026-04-15 12:00:00")
    def test_new_pack_absorbs_pending_overage_of_its_period(self):
        ticket = self.ticket_for(self.other_contact)
        line = self.log(ticket, 60, day="2026-04-02")
        self.assertEqual(line.hours_allocation_ids.kind, "overage")
        pack = self.sell_pack(self.other_contact, 5, day="2026-04-01").hours_pack_ids
        self.assertEqual(line.hours_allocation_ids.pack_id, pack)
        figures = self.balance(self.bank_of(self.other_customer))
        self.assertEqual(figures["overage"], 0)
        self.assertEqual(figures["remaining"], 240)

    @freeze_time("2026-04-15 12:00:00")
    def test_cancelling_a_pack_moves_its_consumption(self):
        first = self.sell_pack(self.other_contact, 2, day="2026-04-01")
        second = self.sell_pack(self.other_contact, 5, day="2026-04-01")
        ticket = self.ticket_for(self.other_contact)
        line = self.log(ticket, 60, day="2026-04-02")
        self.assertEqual(line.hours_allocation_ids.pack_id, first.hours_pack_ids)
        first._action_cancel()
        self.assertEqual(line.hours_allocation_ids.pack_id, second.hours_pack_ids)
        self.assertEqual(
            self.balance(self.bank_of(self.other_customer))["remaining"], 240
        )

    @freeze_time("2026-04-15 12:00:00")
    def test_manual_pack(self):
        """A pack given away (or a migrated balance) entered by hand: draft until
        put in force."""
        self.sell_pack(self.other_contact, 1, day="2026-04-01")
        bank = self.bank_of(self.other_customer)
        form = Form(self.env["qubiq.hours.pack"].with_user(self.manager))
        form.name = "Saldo migrado de la hoja de cálculo"
        form.bank_id = bank
        form.hours = 3
        form.date_start = date(2026, 1, 1)
        pack = form.save()
        self.assertEqual(pack.state, "draft")
        self.assertEqual(self.balance(bank)["remaining"], 60)
        pack.action_activate()
        figures = self.balance(bank)
        self.assertEqual(figures["remaining"], 240)
        self.assertEqual(figures["paid_available"], 180, "a free pack counts as paid")
