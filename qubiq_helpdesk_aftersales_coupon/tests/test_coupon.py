# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, TransactionCase, new_test_user, tagged

from odoo.addons.qubiq_helpdesk_aftersales.tests.common import ticket_button_visible


@tagged("post_install", "-at_install")
class TestCoupon(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # assertions read English messages; Spanish is checked on its own
        cls.env["res.lang"]._activate_lang("en_US")
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=True, lang="en_US")
        )
        cls.agent = new_test_user(
            cls.env,
            login="coupon_agent",
            groups="helpdesk_mgmt.group_helpdesk_user,sales_team.group_sale_salesman",
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Talleres Pérez", "email": "perez@example.com"}
        )
        cls.follower = cls.env["res.partner"].create(
            {"name": "Luis Pérez", "email": "luis@example.com"}
        )
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Posventa",
                "use_aftersales_coupon": True,
                "user_ids": [Command.link(cls.agent.id)],
            }
        )
        cls.ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": "Late delivery",
                "description": "<p>Late</p>",
                "team_id": cls.team.id,
                "partner_id": cls.customer.id,
            }
        )
        cls.ticket.message_subscribe(partner_ids=(cls.customer + cls.follower).ids)
        cls.program = cls.env["loyalty.program"].create(
            {
                "name": "Sorry 10%",
                "program_type": "coupons",
                "trigger": "with_code",
                "reward_ids": [
                    Command.create(
                        {
                            "reward_type": "discount",
                            "discount": 10,
                            "discount_mode": "percent",
                            "discount_applicability": "order",
                            "required_points": 1,
                        }
                    )
                ],
            }
        )
        cls.promotion = cls.env["loyalty.program"].create(
            {"name": "Promo", "program_type": "promotion"}
        )
        cls.Card = cls.env["loyalty.card"]

    def _form(self):
        action = self.ticket.with_user(self.agent).action_aftersales_coupon()
        Wizard = self.env[action["res_model"]].with_user(self.agent)
        return Form(Wizard.with_context(**action["context"]))

    def test_coupon_without_expiry(self):
        form = self._form()
        form.program_id = self.program
        wizard = form.save()
        wizard.action_generate()
        coupon = wizard.coupon_id
        self.assertEqual(coupon.program_id, self.program)
        self.assertEqual(coupon.partner_id, self.customer)
        self.assertEqual(coupon.points, 1)  # single use: one reward of 1 point
        self.assertFalse(coupon.expiration_date)
        self.assertTrue(wizard.coupon_code)
        self.assertEqual(self.ticket.with_user(self.agent).coupon_count, 1)
        self.assertIn(coupon.code, self.ticket.message_ids[0].body)
        # generating again does not make a second coupon
        wizard.action_generate()
        self.assertEqual(self.ticket.coupon_ids, coupon)

    @freeze_time("2025-03-10")
    def test_coupon_with_expiry(self):
        form = self._form()
        form.program_id = self.program
        form.valid_until = datetime.date(2025, 4, 30)
        wizard = form.save()
        wizard.action_generate()
        self.assertEqual(wizard.coupon_id.expiration_date, datetime.date(2025, 4, 30))

    @freeze_time("2025-03-10")
    def test_expiry_in_the_past_refused(self):
        count = self.Card.search_count([])
        form = self._form()
        form.program_id = self.program
        form.valid_until = datetime.date(2025, 3, 9)
        with self.assertRaisesRegex(ValidationError, "cannot expire in the past"):
            form.save()
        self.assertEqual(self.Card.search_count([]), count)

    @freeze_time("2025-03-10")
    def test_expiry_error_in_spanish(self):
        self.env["res.lang"]._activate_lang("es_ES")
        count = self.Card.search_count([])
        action = self.ticket.with_user(self.agent).action_aftersales_coupon()
        Wizard = self.env[action["res_model"]].with_user(self.agent)
        form = Form(Wizard.with_context(lang="es_ES", **action["context"]))
        form.program_id = self.program
        form.valid_until = datetime.date(2025, 3, 9)
        with self.assertRaisesRegex(ValidationError, "no puede caducar en el pasado"):
            form.save()
        self.assertEqual(self.Card.search_count([]), count)

    def test_only_coupon_programs(self):
        form = self._form()
        form.program_id = self.promotion
        with self.assertRaises(ValidationError):
            form.save()

    def test_send_by_mail_to_followers(self):
        form = self._form()
        form.program_id = self.program
        action = form.save().action_send_mail()
        coupon = self.ticket.coupon_ids
        self.assertEqual(action["res_model"], "mail.compose.message")
        composer = Form(
            self.env["mail.compose.message"]
            .with_user(self.agent)
            .with_context(**action["context"])
        )
        self.assertEqual(
            set(composer.partner_ids.ids), {self.customer.id, self.follower.id}
        )
        self.assertIn(coupon.code, composer.body)
        composer.save().action_send_mail()
        message = self.ticket.message_ids[0]
        self.assertIn(coupon.code, message.body)
        self.assertIn(self.follower, message.partner_ids)

    def test_mail_reaches_customer_not_following(self):
        self.ticket.message_unsubscribe(partner_ids=self.customer.ids)
        form = self._form()
        form.program_id = self.program
        action = form.save().action_send_mail()
        composer = Form(
            self.env["mail.compose.message"]
            .with_user(self.agent)
            .with_context(**action["context"])
        )
        self.assertIn(self.customer, composer.partner_ids[:])
        self.assertIn(self.follower, composer.partner_ids[:])

    def test_switch_off_refused(self):
        ticket = self.ticket.with_user(self.agent)
        self.assertTrue(ticket_button_visible(ticket, "action_aftersales_coupon"))
        wizard = self._form()
        wizard.program_id = self.program
        wizard = wizard.save()
        self.team.use_aftersales_coupon = False
        self.assertFalse(ticket_button_visible(ticket, "action_aftersales_coupon"))
        count = self.Card.search_count([])
        with self.assertRaisesRegex(UserError, "not enabled"):
            self.ticket.with_user(self.agent).action_aftersales_coupon()
        with self.assertRaisesRegex(UserError, "not enabled"):
            wizard.action_generate()
        self.assertEqual(self.Card.search_count([]), count)
