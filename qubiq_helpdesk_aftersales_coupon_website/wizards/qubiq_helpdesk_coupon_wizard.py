# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class QubiqHelpdeskCouponWizard(models.TransientModel):
    _inherit = "qubiq.helpdesk.coupon.wizard"

    website_id = fields.Many2one(
        "website",
        compute="_compute_website_id",
        store=True,
        readonly=False,
        precompute=True,
        help="Shop where the customer uses the link; the program's website when "
        "it has one.",
    )
    share_link = fields.Char(
        compute="_compute_share_link",
        help="Opening this link applies the coupon to the customer's cart.",
    )
    share_link_requested = fields.Boolean(readonly=True)

    @api.depends("program_id", "ticket_id")
    def _compute_website_id(self):
        Website = self.env["website"]
        for wizard in self:
            company = wizard.ticket_id.company_id or self.env.company
            wizard.website_id = (
                wizard.program_id.website_id
                or Website.search([("company_id", "=", company.id)], limit=1)
                or Website.search([], limit=1)
            )

    @api.depends("coupon_id.code", "website_id")
    def _compute_share_link(self):
        for wizard in self:
            if not wizard.coupon_id or not wizard.website_id:
                wizard.share_link = False
                continue
            # Odoo's own share link (website_sale_loyalty): /coupon/<code> puts
            # the code in the visitor's session and applies it to their cart.
            # An in-memory coupon.share computes it: nothing is written.
            share = self.env["coupon.share"].new(
                {
                    "program_id": wizard.coupon_id.program_id.id,
                    "coupon_id": wizard.coupon_id.id,
                    "website_id": wizard.website_id.id,
                    "redirect": "/shop/cart",
                }
            )
            wizard.share_link = share.share_link

    def _coupon_mail_body(self, coupon):
        body = super()._coupon_mail_body(coupon)
        link = self.share_link
        if not link:
            return body
        return body + Markup('<p>%s <a href="%s">%s</a></p>') % (
            _("Or open this link to apply it to your cart in our online shop:"),
            link,
            link,
        )

    def action_share_link(self):
        self.ensure_one()
        if not self.website_id:
            raise UserError(
                _("Choose the website where the customer will use the coupon.")
            )
        program_website = self.program_id.website_id
        if program_website and program_website != self.website_id:
            raise UserError(
                _(
                    "Program %(program)s is only valid on website %(website)s.",
                    program=self.program_id.display_name,
                    website=program_website.display_name,
                )
            )
        self._generate_coupon()
        self.share_link_requested = True
        action = self.action_generate()
        action["name"] = _("Share the Coupon")
        return action
