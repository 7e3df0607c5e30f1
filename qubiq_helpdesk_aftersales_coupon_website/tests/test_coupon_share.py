# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from urllib.parse import urlsplit

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, HttpCase, new_test_user, tagged

from odoo.addons.qubiq_helpdesk_aftersales.tests.common import activate_frontend_lang


@tagged("post_install", "-at_install")
class TestCouponShareLink(HttpCase):
    """The share link of a ticket's coupon applies it to the customer's cart."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        activate_frontend_lang(cls.env, "en_US")
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=True, lang="en_US")
        )
        cls.website = cls.env["website"].search(
            [("company_id", "=", cls.env.company.id)], limit=1
        )
        cls.agent = new_test_user(
            cls.env,
            login="coupon_share_agent",
            groups="helpdesk_mgmt.group_helpdesk_user,sales_team.group_sale_salesman",
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Talleres Pérez", "is_company": True}
        )
        cls.portal_user = new_test_user(
            cls.env,
            login="perez_shop",
            name="Ana Pérez",
            email="ana@example.com",
            groups="base.group_portal",
            lang="en_US",
        )
        cls.portal_user.partner_id.parent_id = cls.customer
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
                "partner_id": cls.portal_user.partner_id.id,
            }
        )
        cls.program = cls.env["loyalty.program"].create(
            {
                "name": "Sorry 10%",
                "program_type": "coupons",
                "trigger": "with_code",
                "applies_on": "current",
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
        cls.product = cls.env["product.product"].create(
            {
                "name": "Toner X1",
                "list_price": 100.0,
                "sale_ok": True,
                "website_published": True,
                "taxes_id": [Command.clear()],
            }
        )

    def _share(self):
        action = self.ticket.with_user(self.agent).action_aftersales_coupon()
        Wizard = self.env[action["res_model"]].with_user(self.agent)
        form = Form(Wizard.with_context(**action["context"]))
        form.program_id = self.program
        wizard = form.save()
        self.assertEqual(wizard.website_id, self.website)
        wizard.action_share_link()
        self.assertTrue(wizard.share_link_requested)
        coupon = wizard.coupon_id
        link = urlsplit(wizard.share_link)
        self.assertEqual(link.path, f"/coupon/{coupon.code}")
        return wizard, coupon, f"{link.path}?{link.query}"

    def _cart(self):
        return self.env["sale.order"].search(
            [
                ("partner_id", "=", self.portal_user.partner_id.id),
                ("website_id", "=", self.website.id),
                ("state", "=", "draft"),
            ]
        )

    def _add_to_cart(self):
        self.make_jsonrpc_request(
            "/shop/cart/update_json", {"product_id": self.product.id, "add_qty": 1}
        )

    def _assert_applied(self, coupon):
        cart = self._cart()
        self.assertEqual(len(cart), 1)
        reward = cart.order_line.filtered("is_reward_line")
        self.assertEqual(reward.coupon_id, coupon)
        self.assertEqual(cart.amount_total, 90.0)
        # the customer's cart page shows the coupon's reward line
        page = self.url_open("/shop/cart")
        self.assertEqual(page.status_code, 200)
        description = reward.reward_id.description
        self.assertTrue(description in page.text, f"{description} not in the cart")
        self.assertTrue(coupon.code[-4:] in page.text, "coupon code not in the cart")

    def test_link_applies_coupon_to_existing_cart(self):
        _wizard, coupon, path = self._share()
        self.assertEqual(self.ticket.with_user(self.agent).coupon_count, 1)
        self.authenticate("perez_shop", "perez_shop")
        self._add_to_cart()
        self.assertEqual(self._cart().amount_total, 100.0)
        response = self.url_open(path)
        self.assertEqual(response.status_code, 200)
        self.assertIn(f"notify_coupon={coupon.code}", response.url)
        self._assert_applied(coupon)

    def test_link_opened_before_shopping(self):
        """The customer clicks the e-mailed link first, then fills the cart."""
        _wizard, coupon, path = self._share()
        self.authenticate("perez_shop", "perez_shop")
        response = self.url_open(path)
        self.assertIn("coupon_error_type=warning", response.url)  # empty cart
        self._add_to_cart()
        self._assert_applied(coupon)

    def test_mail_contains_share_link(self):
        wizard, coupon, path = self._share()
        action = wizard.action_send_mail()
        self.assertIn(path.split("?")[0], action["context"]["default_body"])
        self.assertEqual(self.ticket.coupon_ids, coupon)  # still one coupon

    def test_program_of_another_website_refused(self):
        other = self.env["website"].create({"name": "Outlet"})
        self.program.website_id = other
        action = self.ticket.with_user(self.agent).action_aftersales_coupon()
        Wizard = self.env[action["res_model"]].with_user(self.agent)
        form = Form(Wizard.with_context(**action["context"]))
        form.program_id = self.program
        wizard = form.save()
        self.assertEqual(wizard.website_id, other)
        wizard.website_id = self.website
        with self.assertRaisesRegex(UserError, "only valid on website Outlet"):
            wizard.action_share_link()
        self.assertFalse(self.ticket.coupon_ids)
