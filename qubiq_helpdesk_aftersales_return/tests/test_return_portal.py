# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import Form, HttpCase, new_test_user, tagged

from odoo.addons.qubiq_helpdesk_aftersales.tests.common import activate_frontend_lang
from odoo.addons.qubiq_helpdesk_aftersales_sale.tests.common import (
    AftersalesSaleCommon,
)

WIZARD_VIEW = "qubiq_helpdesk_aftersales_return.stock_return_picking_view_form"


@tagged("post_install", "-at_install")
class TestReturnPortal(AftersalesSaleCommon, HttpCase):
    """The customer sees on their ticket page what was returned and replaced."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        activate_frontend_lang(cls.env, "en_US")
        cls.agent.groups_id = [Command.link(cls.env.ref("stock.group_stock_user").id)]
        cls.team.write({"use_aftersales_return": True, "show_in_portal": True})
        cls.portal_user = new_test_user(
            cls.env,
            login="perez_returns",
            groups="base.group_portal",
            lang="en_US",
        )
        cls.portal_user.partner_id.parent_id = cls.customer
        cls.other_portal_user = new_test_user(
            cls.env,
            login="gomez_returns",
            groups="base.group_portal",
            lang="en_US",
        )
        cls.other_portal_user.partner_id.parent_id = cls.other_customer
        cls.ticket.partner_id = cls.portal_user.partner_id
        action = cls.ticket.with_user(cls.agent).action_aftersales_return()
        Wizard = cls.env[action["res_model"]].with_user(cls.agent)
        form = Form(Wizard.with_context(**action["context"]), view=WIZARD_VIEW)
        for index in range(len(form.product_return_moves)):
            with form.product_return_moves.edit(index) as line:
                if line.product_id == cls.product_serial:
                    serial_index = index
        form.product_return_moves.remove(serial_index)
        form.save().action_helpdesk_return_exchange()
        pickings = cls.ticket.return_picking_ids
        cls.returned = pickings.filtered(lambda p: p.picking_type_code == "incoming")
        cls.replacement = pickings - cls.returned

    def test_done_return_and_replacement_listed(self):
        self.authenticate("perez_returns", "perez_returns")
        page = self.url_open(f"/my/ticket/{self.ticket.id}")
        self.assertEqual(page.status_code, 200)
        # the return is not received yet: only the replacement being prepared
        self.assertNotIn(self.returned.name, page.text)
        self.assertIn(self.replacement.name, page.text)
        self.assertIn("Replacement being prepared", page.text)
        for move in self.returned.move_ids:
            move.quantity = move.product_uom_qty
        self.returned.move_ids.picked = True
        self.returned.button_validate()
        page = self.url_open(f"/my/ticket/{self.ticket.id}")
        self.assertIn(self.returned.name, page.text)
        self.assertIn("Returned", page.text)
        # The slip is served through the ticket: the page neither shows nor
        # creates the sale order's access token.
        slip_url = f"/my/ticket/{self.ticket.id}/slip/{self.returned.id}"
        self.assertIn(slip_url, page.text)
        self.assertNotIn("/my/picking/pdf/", page.text)
        self.order.invalidate_recordset()
        self.assertFalse(self.order.access_token)
        slip = self.url_open(slip_url)
        self.assertEqual(slip.status_code, 200)
        self.assertEqual(slip.headers["Content-Type"], "application/pdf")
        # Another customer, a forged picking, an anonymous visitor: not found.
        self.authenticate("gomez_returns", "gomez_returns")
        self.assertEqual(self.url_open(slip_url).status_code, 404)
        self.authenticate("perez_returns", "perez_returns")
        self.assertEqual(
            self.url_open(
                f"/my/ticket/{self.ticket.id}/slip/{self.replacement.id}"
            ).status_code,
            404,  # not delivered yet: no slip
        )
        self.authenticate(None, None)
        self.assertEqual(self.url_open(slip_url).status_code, 404)
        # The ticket's token (the e-mailed link) reads the slip too.
        token = self.ticket.sudo()._portal_ensure_token()
        slip = self.url_open(f"{slip_url}?access_token={token}")
        self.assertEqual(slip.status_code, 200)

    def test_other_customer_sees_nothing(self):
        self.authenticate("gomez_returns", "gomez_returns")
        page = self.url_open(f"/my/ticket/{self.ticket.id}")
        # helpdesk_mgmt sends the visitor back to /my; with qubiq_helpdesk_portal the
        # ticket answers 404. Either way the returns do not show.
        self.assertTrue(
            page.url.endswith("/my") or page.status_code == 404,
            f"{page.status_code} {page.url}",
        )
        self.assertNotIn(self.replacement.name, page.text)
