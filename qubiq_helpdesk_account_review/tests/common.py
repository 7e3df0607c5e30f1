# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.addons.qubiq_hours_bank.tests.common import HoursBankCase


class ReviewCase(HoursBankCase):
    """The hours-bank fixtures plus the account review's: Muebles Ebro (contract
    since January, Spanish, its designated contact Lucía) and Bodegas Sierra Alta
    (no contract, English), both with an hours bank sold in March 2026 and both
    opted in; the company works by the support calendar (Good Friday off)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("es_ES")
        cls.company.write(
            {
                "resource_calendar_id": cls.calendar.id,
                "qubiq_review_expiry_days": 30,
                "qubiq_review_runout_weeks": 4,
                "qubiq_review_pace_weeks": 4,
                "qubiq_review_compliance_target": 90.0,
            }
        )
        cls.customer.write({"lang": "es_ES"})
        cls.contact.write({"lang": "es_ES", "helpdesk_designated_contact": True})
        cls.other_customer.write({"lang": "en_US"})
        cls.other_contact.write({"lang": "en_US"})
        cls.manager.write({"lang": "en_US"})
        cls.order_a = cls.sell_pack(cls.customer, 20, day="2026-03-02")
        cls.order_b = cls.sell_pack(cls.other_customer, 10, day="2026-03-02")
        cls.bank_a = cls.bank_of(cls.customer)
        cls.bank_b = cls.bank_of(cls.other_customer)
        cls.Send = cls.env["qubiq.account.review.send"]
        cls.Warning = cls.env["qubiq.account.review.warning"]

    def pack_messages(self, partner):
        return self.env["mail.message"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "=", partner.id),
                ("message_type", "=", "comment"),
                ("attachment_ids", "!=", False),
            ]
        )

    def run_monthly(self, when="2026-04-01 07:00:00"):
        with freeze_time(when):
            self.Send._cron_monthly_pack()

    def run_warnings(self, when):
        with freeze_time(when):
            return self.Warning._cron_warnings()
