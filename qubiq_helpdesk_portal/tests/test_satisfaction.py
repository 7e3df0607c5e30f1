# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Satisfaction faces when a ticket closes, and the follow-up a not positive rating
opens for the customer's account manager (seed 000, "Encuesta de satisfacción")."""

import re

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import PortalCase


@tagged("post_install", "-at_install")
class TestSatisfaction(PortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Followup = cls.env["qubiq.satisfaction.followup"]
        cls.unhappy_type = cls.env.ref(
            "qubiq_helpdesk_portal.mail_activity_type_unhappy_customer"
        )

    def close(self, ticket):
        ticket.stage_id = self.stage_done
        return ticket.rating_ids.filtered(lambda r: not r.consumed)

    def rate(self, ticket, value, feedback=None):
        """What the rating controller does for /rate/<token>/<value>."""
        request = ticket.rating_ids.filtered(lambda r: not r.consumed)[:1]
        token = request.access_token or ticket.rating_ids[:1].access_token
        ticket.sudo().rating_apply(value, token=token, feedback=feedback)
        return self.env["rating.rating"].search([("access_token", "=", token)])

    def test_closing_sends_the_faces(self):
        request = self.close(self.ticket_colleague)
        self.assertEqual(len(request), 1)
        self.assertEqual(request.partner_id, self.colleague.partner_id)
        mail = self.env["mail.message"].search(
            [
                ("model", "=", "helpdesk.ticket"),
                ("res_id", "=", self.ticket_colleague.id),
                ("body", "ilike", f"/rate/{request.access_token}/"),
            ]
        )
        self.assertEqual(len(mail), 1)
        self.assertEqual(
            sorted(re.findall(rf"/rate/{request.access_token}/(\d)", mail.body)),
            ["1", "3", "5"],
        )
        self.assertIn(self.colleague.partner_id, mail.partner_ids)

    def test_not_positive_rating_reaches_the_account_manager(self):
        self.close(self.ticket_colleague)
        rating = self.rate(self.ticket_colleague, 1, "Ha tardado una semana")
        followup = self.Followup.search([("ticket_id", "=", self.ticket_colleague.id)])
        self.assertEqual(len(followup), 1)
        self.assertEqual(followup.rating_id, rating)
        self.assertEqual(followup.user_id, self.account_manager)
        self.assertEqual(followup.partner_id, self.colleague.partner_id)
        self.assertEqual(followup.commercial_partner_id, self.customer)
        self.assertEqual((followup.origin, followup.priority), ("rating", "1"))
        self.assertEqual(followup.state, "open")
        self.assertTrue(followup.is_unhappy)
        self.assertEqual(followup.feedback, "Ha tardado una semana")
        activity = followup.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.activity_type_id, self.unhappy_type)
        self.assertEqual(activity.user_id, self.account_manager)
        self.assertEqual(activity.date_deadline, fields.Date.context_today(followup))
        self.assertTrue(activity.summary.startswith("High priority"))
        notified = followup.message_ids.filtered(
            lambda m: self.account_manager.partner_id in m.partner_ids
        )
        self.assertEqual(len(notified), 1)
        self.assertIn(self.account_manager.partner_id, followup.message_partner_ids)
        # It is listed among the unhappy customers to handle.
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "qubiq_helpdesk_portal.qubiq_satisfaction_followup_action"
        )
        self.assertEqual(action["name"], "Unhappy customers")
        self.assertIn(
            followup,
            self.Followup.with_user(self.account_manager).search(
                [("state", "=", "open"), ("is_unhappy", "=", True)]
            ),
        )
        # The ticket shows it.
        self.assertEqual(self.ticket_colleague.qubiq_followup_count, 1)
        self.assertEqual(self.ticket_colleague.rating_last_value, 1)

    def test_positive_rating_opens_nothing(self):
        self.close(self.ticket_colleague)
        self.rate(self.ticket_colleague, 5, "Muy rápidos")
        self.assertFalse(
            self.Followup.search([("ticket_id", "=", self.ticket_colleague.id)])
        )

    def test_okay_is_not_positive(self):
        # Seed 000 asks for "positiva o no positiva": the middle face is not positive.
        self.close(self.ticket_colleague)
        self.rate(self.ticket_colleague, 3)
        self.assertTrue(
            self.Followup.search([("ticket_id", "=", self.ticket_colleague.id)])
        )

    def test_comment_after_the_click_is_posted_once(self):
        self.close(self.ticket_colleague)
        # One click on the sad face (the controller's default feedback), then the
        # comment from the page that follows.
        self.rate(self.ticket_colleague, 1, "Customer rated it.")
        followup = self.Followup.search([("ticket_id", "=", self.ticket_colleague.id)])
        before = followup.message_ids
        self.rate(self.ticket_colleague, 1, "Sigue sin imprimir el lote")
        self.assertEqual(
            self.Followup.search([("ticket_id", "=", self.ticket_colleague.id)]),
            followup,
        )
        new = followup.message_ids - before
        self.assertEqual(len(new), 1)
        self.assertIn("Sigue sin imprimir el lote", new.body)
        self.assertIn(self.account_manager.partner_id, new.partner_ids)
        self.assertEqual(len(followup.activity_ids), 1)

    def test_rating_changed_to_positive_closes_the_followup(self):
        self.close(self.ticket_colleague)
        self.rate(self.ticket_colleague, 1)
        followup = self.Followup.search([("ticket_id", "=", self.ticket_colleague.id)])
        self.rate(self.ticket_colleague, 5, "Al final lo resolvieron")
        self.assertEqual(followup.state, "done")
        self.assertFalse(followup.activity_ids)

    def test_account_manager_fallbacks(self):
        salesperson = new_test_user(
            self.env, login="portal_sales", groups="base.group_user"
        )
        self.customer.write({"account_manager_id": False, "user_id": salesperson.id})
        self.close(self.ticket_colleague)
        self.rate(self.ticket_colleague, 1)
        followup = self.Followup.search([("ticket_id", "=", self.ticket_colleague.id)])
        self.assertEqual(followup.user_id, salesperson)
        # Neither account manager nor salesperson: the team leader.
        self.customer.write({"user_id": False})
        self.close(self.ticket_designated)
        self.rate(self.ticket_designated, 1)
        followup = self.Followup.search([("ticket_id", "=", self.ticket_designated.id)])
        self.assertEqual(followup.user_id, self.team.user_id)
        self.assertEqual(followup.activity_ids.user_id, self.agent)

    def test_handling_requires_what_was_agreed(self):
        self.close(self.ticket_colleague)
        self.rate(self.ticket_colleague, 1)
        followup = self.Followup.search([("ticket_id", "=", self.ticket_colleague.id)])
        followup = followup.with_user(self.account_manager)
        with self.assertRaisesRegex(UserError, "How it was handled"):
            followup.action_done()
        followup.resolution = "Llamada con Ana: revisamos el extracto juntos el lunes."
        followup.action_done()
        self.assertEqual(followup.state, "done")
        self.assertEqual(followup.handled_by_id, self.account_manager)
        self.assertFalse(followup.activity_ids)
        done = self.env["mail.message"].search(
            [
                ("model", "=", followup._name),
                ("res_id", "=", followup.id),
                ("mail_activity_type_id", "=", self.unhappy_type.id),
            ]
        )
        self.assertEqual(len(done), 1)
        self.assertNotIn(followup, self.Followup.search([("state", "=", "open")]))

    def test_satisfaction_report_per_agent_team_and_customer(self):
        other_agent = new_test_user(
            self.env, login="portal_agent2", groups="helpdesk_mgmt.group_helpdesk_user"
        )
        self.ticket_designated.user_id = other_agent
        self.close(self.ticket_colleague)
        self.close(self.ticket_designated)
        self.close(self.ticket_outsider)
        self.rate(self.ticket_colleague, 5)
        self.rate(self.ticket_designated, 1)
        self.rate(self.ticket_outsider, 5)
        Report = self.env["qubiq.helpdesk.rating.report"]
        domain = [
            (
                "ticket_id",
                "in",
                (
                    self.ticket_colleague
                    | self.ticket_designated
                    | self.ticket_outsider
                ).ids,
            )
        ]
        by_agent = {
            user: (count, satisfaction, unhappy)
            for user, count, satisfaction, unhappy in Report._read_group(
                domain,
                ["user_id"],
                ["__count", "satisfaction:avg", "unhappy_count:sum"],
            )
        }
        self.assertEqual(by_agent[self.agent], (2, 100.0, 0))
        self.assertEqual(by_agent[other_agent], (1, 0.0, 1))
        by_customer = dict(
            Report._read_group(domain, ["partner_id"], ["satisfaction:avg"])
        )
        self.assertEqual(by_customer[self.customer], 50.0)
        self.assertEqual(by_customer[self.other_customer], 100.0)
        by_team = dict(Report._read_group(domain, ["team_id"], ["__count"]))
        self.assertEqual(by_team[self.team], 3)
        month = fields.Datetime.now().replace(
            day=1, hour=0, minute=0, second=0, microsecond=0
        )
        by_month = dict(Report._read_group(domain, ["date:month"], ["__count"]))
        self.assertEqual(by_month, {month: 3})
