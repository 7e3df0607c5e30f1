# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import HoursBankCase


@tagged("post_install", "-at_install")
@freeze_time("2026-04-20 12:00:00")
class TestWarnings(HoursBankCase):
    """Before a bank runs out the account manager gets an activity and the customer
    an e-mail, once per threshold; excessive dedication alerts the account
    manager."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The customer reads English here; Spanish customers: see below.
        (cls.other_customer | cls.other_contact).lang = "en_US"
        cls.sell_pack(cls.other_contact, 10, day="2026-04-01")
        cls.bank = cls.env["qubiq.hours.bank"].search(
            [("partner_id", "=", cls.other_customer.id)]
        )
        cls.ticket = cls.ticket_for(cls.other_contact)
        cls.activity_type = cls.env.ref("qubiq_hours_bank.mail_activity_type_hours_low")

    def low_activities(self):
        return self.bank.activity_ids.filtered(
            lambda a: (
                a.activity_type_id == self.activity_type
                and a.summary == "Hours bank running low"
            )
        )

    def customer_mails(self):
        return self.env["mail.message"].search(
            [
                ("model", "=", "qubiq.hours.bank"),
                ("res_id", "=", self.bank.id),
                ("message_type", "=", "comment"),
                ("partner_ids", "in", self.other_customer.ids),
            ]
        )

    def test_threshold_warning_sent_exactly_once(self):
        self.assertEqual(len(self.bank.threshold_ids), 1, "the company's default")
        self.assertEqual(self.bank.threshold_ids.kind, "percent")
        self.assertEqual(self.bank.threshold_ids.value, 20.0)
        self.log(self.ticket, 7 * 60, day="2026-04-02")  # 3:00 left: 30 %
        self.assertFalse(self.low_activities())
        self.assertEqual(self.bank.balance_state, "ok")
        self.log(self.ticket, 60, day="2026-04-03")  # 2:00 left: 20 %, reached
        activity = self.low_activities()
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.manager)
        self.assertIn("2:00", str(activity.note))
        mails = self.customer_mails()
        self.assertEqual(len(mails), 1)
        self.assertIn("running low", mails.subject)
        self.assertIn("2:00", str(mails.body))
        self.assertEqual(self.bank.balance_state, "low")
        self.assertTrue(self.bank.threshold_ids.notified)
        # Lower still, and a re-computation: nothing new.
        self.log(self.ticket, 30, day="2026-04-04")
        self.bank.action_recompute()
        self.env["qubiq.hours.bank"]._cron_check_expiry()
        self.assertEqual(len(self.low_activities()), 1)
        self.assertEqual(len(self.customer_mails()), 1)
        # A new pack lifts the bank above: re-armed; the next crossing warns again.
        self.sell_pack(self.other_contact, 10, day="2026-04-05")
        self.assertFalse(self.bank.threshold_ids.notified)
        self.assertEqual(self.bank.balance_state, "ok")
        self.log(self.ticket, 7 * 60, day="2026-04-06")  # 4:30 of 20:00 left
        self.assertFalse(self.bank.threshold_ids.notified)
        self.log(self.ticket, 60, day="2026-04-07")  # 3:30 left: 17.5 %
        self.assertEqual(len(self.customer_mails()), 2)
        # The manager has not done the first warning yet: it is brought up to
        # date (figures, today's deadline), not doubled.
        self.assertEqual(self.low_activities(), activity)
        self.assertIn("3:30", str(activity.note))
        self.assertEqual(activity.date_deadline.isoformat(), "2026-04-20")
        # Once done, the next crossing gets a new one.
        activity.action_feedback(feedback="Ofrecido un bono de 10 h")
        self.sell_pack(self.other_contact, 10, day="2026-04-08")
        self.log(self.ticket, 9 * 60, day="2026-04-09")  # 4:30 of 30:00 left: 15 %
        new = self.low_activities()
        self.assertEqual(len(new), 1)
        self.assertNotEqual(new, activity)
        self.assertIn("4:30", str(new.note))
        self.assertEqual(len(self.customer_mails()), 3)

    def test_customer_mail_in_spanish(self):
        self.env["res.lang"]._activate_lang("es_ES")
        self.env["ir.module.module"]._load_module_terms(
            ["qubiq_hours_bank"], ["es_ES"], overwrite=True
        )
        self.other_customer.lang = "es_ES"
        self.log(self.ticket, 8 * 60, day="2026-04-02")
        mail = self.customer_mails()
        self.assertEqual(
            mail.subject,
            "Bodegas Sierra Alta: vuestra bolsa de horas de soporte se está agotando",
        )
        self.assertIn("le quedan <strong>2:00 h</strong>", str(mail.body))
        self.assertIn("Mi bolsa de horas", str(mail.body))

    def test_threshold_in_hours_and_several_levels(self):
        self.bank.threshold_ids = [
            Command.clear(),
            Command.create({"kind": "hours", "value": 5.0}),
            Command.create({"kind": "hours", "value": 1.0}),
        ]
        self.bank.notify_partner_ids = self.other_contact
        self.log(self.ticket, 5 * 60, day="2026-04-02")  # 5:00 left: first level
        self.assertEqual(len(self.low_activities()), 1)
        mails = self.env["mail.message"].search(
            [
                ("model", "=", "qubiq.hours.bank"),
                ("res_id", "=", self.bank.id),
                ("message_type", "=", "comment"),
            ]
        )
        self.assertEqual(mails.partner_ids, self.other_contact, "the chosen contact")
        self.log(self.ticket, 4 * 60 + 30, day="2026-04-03")  # 0:30 left
        # The second level: the customer is told again; the manager's open
        # warning now reads the new figures (one activity, not two).
        self.assertEqual(
            len(
                mails.search(
                    [("id", "not in", mails.ids)]
                    + [
                        ("model", "=", "qubiq.hours.bank"),
                        ("res_id", "=", self.bank.id),
                        ("message_type", "=", "comment"),
                    ]
                )
            ),
            1,
        )
        activity = self.low_activities()
        self.assertEqual(len(activity), 1)
        self.assertIn("0:30", str(activity.note))
        self.log(self.ticket, 2 * 60, day="2026-04-04")  # exhausted, overage
        self.assertEqual(self.low_activities(), activity, "no third level")
        self.assertIn("0:30", str(activity.note))
        self.assertEqual(self.bank.balance_state, "overage")

    def test_no_account_manager_posts_on_the_bank(self):
        self.other_customer.account_manager_id = False
        self.log(self.ticket, 8 * 60 + 30, day="2026-04-02")
        self.assertFalse(self.low_activities())
        self.assertTrue(
            self.bank.message_ids.filtered(
                lambda m: "1:30" in str(m.body) and m.message_type != "comment"
            )
        )

    def excess_activities(self, ticket):
        kind = self.env.ref("qubiq_hours_bank.mail_activity_type_excess")
        return ticket.activity_ids.filtered(lambda a: a.activity_type_id == kind)

    def test_excessive_dedication_absolute_limit(self):
        """8 hours by default: the account manager is told once."""
        self.log(self.ticket, 4 * 60, day="2026-04-02")
        self.log(self.ticket, 4 * 60, day="2026-04-03")  # 8:00, not more
        self.assertFalse(self.excess_activities(self.ticket))
        line = self.log(self.ticket, 10, day="2026-04-06")
        activity = self.excess_activities(self.ticket)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.manager)
        self.assertIn("8:10", str(activity.note))
        self.assertTrue(self.ticket.hours_excess_notified)
        self.log(self.ticket, 60, day="2026-04-07")
        self.assertEqual(len(self.excess_activities(self.ticket)), 1)
        # Below the limit again (time corrected): re-armed.
        line.unlink()
        self.ticket.invalidate_recordset()
        self.env["account.analytic.line"].search(
            [("ticket_id", "=", self.ticket.id), ("date", "=", "2026-04-07")]
        ).unlink()
        self.assertFalse(self.ticket.hours_excess_notified)

    def test_excessive_dedication_on_an_evolutivo_estimate(self):
        evolutivo = self.ticket_for(
            self.other_contact,
            ticket_type=self.evolutivo,
            name="Informe de trazabilidad por lote",
            estimate_hours=3.0,
        )
        self.bank.excess_hours = 20.0  # the bank's own limit: the estimate wins
        self.log(evolutivo, 3 * 60, day="2026-04-02")
        self.assertFalse(self.excess_activities(evolutivo))
        self.log(evolutivo, 15, day="2026-04-03")
        activity = self.excess_activities(evolutivo)
        self.assertEqual(len(activity), 1)
        self.assertIn("estimate", str(activity.note))
        self.assertIn("3:15", str(activity.note))
        # The customer approves more: a new estimate re-arms the warning. Passed
        # again while the first warning is still open, the account manager gets
        # that one brought up to date, not a second one.
        evolutivo.estimate_hours = 5.0
        self.assertFalse(evolutivo.hours_excess_notified)
        self.log(evolutivo, 2 * 60, day="2026-04-04")
        self.assertEqual(self.excess_activities(evolutivo), activity)
        self.assertIn("5:15", str(activity.note))
        self.assertIn("5:00", str(activity.note))
        self.assertEqual(str(activity.date_deadline), "2026-04-20")  # today
        # Once that one is done, the next crossing is a new activity.
        activity.action_feedback(feedback="Hablado con el cliente")
        evolutivo.estimate_hours = 6.0
        self.log(evolutivo, 60, day="2026-04-06")
        self.assertEqual(len(self.excess_activities(evolutivo)), 1)
        self.assertNotEqual(self.excess_activities(evolutivo), activity)

    def test_excess_also_for_customers_without_bank(self):
        customer = self.env["res.partner"].create(
            {
                "name": "Cooperativa del Jiloca",
                "is_company": True,
                "account_manager_id": self.manager.id,
            }
        )
        self.env["qubiq.support.contract"].create(
            {
                "name": "Mantenimiento Jiloca",
                "partner_id": customer.id,
                "policy_id": self.policy.id,
                "date_start": "2026-01-01",
                "state": "active",
            }
        )
        ticket = self.ticket_for(customer)
        self.log(ticket, 9 * 60, day="2026-04-02")
        self.assertFalse(self.bank_of(customer), "covered: no bank needed")
        self.assertEqual(len(self.excess_activities(ticket)), 1)
