# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime

from odoo.tests import TransactionCase, tagged

from ..controllers.page_dates import date_formatter


@tagged("post_install", "-at_install")
class TestPageDates(TransactionCase):
    """The ticket list formats its rows' dates with the language looked up once;
    what the customer reads must be what the date and datetime widgets write."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("es_ES")

    def assertSameAsWidgets(self, env, value):
        format_value = date_formatter(env)
        self.assertEqual(
            format_value(value),
            env["ir.qweb.field.date"].value_to_html(value, {}),
        )
        self.assertEqual(
            format_value(value, True),
            env["ir.qweb.field.datetime"].value_to_html(value, {"hide_seconds": True}),
        )

    def test_spanish_customer_in_madrid(self):
        env = self.env(context={"lang": "es_ES", "tz": "Europe/Madrid"})
        # 23:30 UTC on 31 March is 01:30 on 1 April in Madrid (summer time).
        value = datetime(2026, 3, 31, 23, 30)
        format_value = date_formatter(env)
        self.assertEqual(format_value(value), "01/04/2026")
        self.assertEqual(format_value(value, True), "01/04/2026 01:30")
        self.assertSameAsWidgets(env, value)

    def test_english_and_no_value(self):
        env = self.env(context={"lang": "en_US", "tz": "America/New_York"})
        value = datetime(2026, 1, 2, 3, 4, 5)
        self.assertSameAsWidgets(env, value)
        self.assertEqual(date_formatter(env)(False), "")

    def test_user_time_zone_when_the_context_has_none(self):
        self.env.user.tz = "Atlantic/Canary"
        env = self.env(context={"lang": "es_ES"})
        value = datetime(2026, 7, 1, 23, 15)
        self.assertEqual(date_formatter(env)(value, True), "02/07/2026 00:15")
        self.assertSameAsWidgets(env, value)
