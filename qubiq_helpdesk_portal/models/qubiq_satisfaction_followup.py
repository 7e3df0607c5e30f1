# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import plaintext2html

from odoo.addons.rating.models import rating_data

# Seed 000, "Gestor de cuentas": what a customer may ask their account manager.
TOPICS = [
    ("dissatisfaction", "I am not satisfied with the support service"),
    ("excessive_time", "Too much time spent on a request or incident"),
    ("hours_bank", "A new hours bank, or the state of mine"),
    ("new_phase", "Estimating a new project phase or a new requirement"),
    ("migration", "Migrating to a new Odoo version"),
    ("contract", "How the maintenance contract is being met"),
    ("services", "Other services you offer"),
    ("meeting", "Arranging a follow-up meeting"),
]
UNHAPPY_TOPICS = ("dissatisfaction", "excessive_time")


class QubiqSatisfactionFollowup(models.Model):
    _name = "qubiq.satisfaction.followup"
    _description = "Customer satisfaction follow-up"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "state desc, priority desc, create_date desc, id desc"

    name = fields.Char(required=True, tracking=True)
    origin = fields.Selection(
        [
            ("rating", "Not positive rating"),
            ("portal", "Message from the portal"),
        ],
        required=True,
        readonly=True,
    )
    topic = fields.Selection(TOPICS, readonly=True)
    is_unhappy = fields.Boolean(
        string="Unhappy customer",
        compute="_compute_is_unhappy",
        store=True,
        help="A not positive rating, or a message about dissatisfaction or excessive "
        "time.",
    )
    priority = fields.Selection(
        [("0", "Normal"), ("1", "High")], default="1", tracking=True
    )
    state = fields.Selection(
        [("open", "To handle"), ("done", "Handled")],
        default="open",
        required=True,
        tracking=True,
    )
    partner_id = fields.Many2one(
        "res.partner", string="Contact", required=True, readonly=True, index=True
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id",
        string="Customer",
        store=True,
        index=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    user_id = fields.Many2one(
        "res.users",
        string="Account manager",
        tracking=True,
        index=True,
        domain="[('share', '=', False)]",
    )
    ticket_id = fields.Many2one("helpdesk.ticket", readonly=True, index=True)
    ticket_user_id = fields.Many2one(
        related="ticket_id.user_id", string="Agent on the ticket"
    )
    ticket_team_id = fields.Many2one(related="ticket_id.team_id", string="Team")
    rating_id = fields.Many2one(
        "rating.rating", string="Rating entry", readonly=True, index=True
    )
    rating = fields.Float(related="rating_id.rating", string="Rating value")
    rating_text = fields.Selection(related="rating_id.rating_text", string="Rating")
    rating_image_url = fields.Char(related="rating_id.rating_image_url")
    feedback = fields.Text(related="rating_id.feedback", string="Customer comment")
    message = fields.Html(readonly=True, sanitize=True)
    resolution = fields.Text(
        string="How it was handled",
        help="What was agreed with the customer: required to mark it as handled.",
    )
    handled_date = fields.Datetime(readonly=True, copy=False)
    handled_by_id = fields.Many2one("res.users", readonly=True, copy=False)

    _sql_constraints = [
        (
            "rating_uniq",
            "unique(rating_id)",
            "A rating already has its follow-up.",
        )
    ]

    @api.depends("origin", "topic")
    def _compute_is_unhappy(self):
        for followup in self:
            followup.is_unhappy = (
                followup.origin == "rating" or followup.topic in UNHAPPY_TOPICS
            )

    # ------------------------------------------------------------------ actions

    def action_done(self):
        for followup in self:
            if not (followup.resolution or "").strip():
                raise UserError(
                    _(
                        "How it was handled: write what was agreed with %(customer)s "
                        "before marking %(followup)s as handled.",
                        customer=followup.commercial_partner_id.display_name,
                        followup=followup.name,
                    )
                )
        self.write(
            {
                "state": "done",
                "handled_date": fields.Datetime.now(),
                "handled_by_id": self.env.user.id,
            }
        )
        for followup in self:
            followup.activity_ids.filtered(
                lambda a: a.activity_type_id == self._qubiq_activity_type()
            ).action_feedback(feedback=followup.resolution)
        return True

    def action_reopen(self):
        self.write({"state": "open", "handled_date": False, "handled_by_id": False})
        return True

    def action_open_ticket(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.ticket",
            "res_id": self.ticket_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------ creation

    @api.model
    def _qubiq_activity_type(self):
        return (
            self.env.ref(
                "qubiq_helpdesk_portal.mail_activity_type_unhappy_customer",
                raise_if_not_found=False,
            )
            or self.env["mail.activity.type"]
        )

    @api.model
    def _qubiq_sync_ratings(self, ratings, previous_feedback=None):
        """Keep the follow-ups of ticket ratings in line with them: a not positive
        rating opens one for the account manager (once), a later comment is posted
        on it, and a rating changed to positive closes it.

        ``previous_feedback``: {rating id: feedback before this change}, to post a
        comment only when the customer wrote a new one."""
        previous_feedback = previous_feedback or {}
        ratings = ratings.filtered(
            lambda r: r.consumed and r.rating and r.res_model == "helpdesk.ticket"
        )
        if not ratings:
            return self.browse()
        existing = self.search([("rating_id", "in", ratings.ids)])
        by_rating = {followup.rating_id.id: followup for followup in existing}
        created = self.browse()
        for rating in ratings:
            followup = by_rating.get(rating.id)
            positive = rating.rating >= rating_data.RATING_LIMIT_SATISFIED
            if followup:
                followup._qubiq_rating_changed(
                    positive, previous_feedback.get(rating.id)
                )
            elif not positive:
                created |= self._qubiq_create_for_rating(rating)
        return created

    def _qubiq_rating_changed(self, positive, previous_feedback):
        self.ensure_one()
        feedback = (self.feedback or "").strip()
        if positive and self.state == "open":
            self.message_post(
                body=_("The customer changed the rating to positive."),
                subtype_xmlid="mail.mt_note",
            )
            self.write(
                {
                    "state": "done",
                    "handled_date": fields.Datetime.now(),
                    "resolution": _("The customer changed the rating to positive."),
                }
            )
            self.activity_ids.filtered(
                lambda a: a.activity_type_id == self._qubiq_activity_type()
            ).action_feedback(
                feedback=_("The customer changed the rating to positive.")
            )
        elif feedback and feedback != (previous_feedback or "").strip():
            self.message_post(
                body=Markup("<p><b>%s</b></p>") % _("Customer comment:")
                + plaintext2html(feedback),
                subtype_xmlid="mail.mt_comment",
                partner_ids=self.user_id.partner_id.ids,
            )

    @api.model
    def _qubiq_create_for_rating(self, rating):
        ticket = self.env["helpdesk.ticket"].browse(rating.res_id).exists()
        partner = rating.partner_id or ticket.partner_id
        if not partner:
            return self.browse()
        manager = (
            ticket._qubiq_account_manager()
            if ticket
            else partner._qubiq_account_manager()
        )
        followup = self.create(
            {
                "name": _(
                    "Not positive rating of %(ticket)s", ticket=ticket.display_name
                ),
                "origin": "rating",
                "partner_id": partner.id,
                "company_id": ticket.company_id.id or self.env.company.id,
                "user_id": manager.id,
                "ticket_id": ticket.id,
                "rating_id": rating.id,
            }
        )
        ratings = dict(rating._fields["rating_text"]._description_selection(self.env))
        followup._qubiq_notify_manager(
            _(
                "%(customer)s rated the ticket %(ticket)s as %(rating)s. Get in touch "
                "with them: dissatisfaction is handled with high priority.",
                customer=partner.display_name,
                ticket=ticket.display_name,
                rating=ratings.get(rating.rating_text, rating.rating_text),
            )
        )
        return followup

    @api.model
    def _qubiq_create_from_portal(self, partner, topic, text, ticket=None):
        """A message the customer sent from the portal page "Contact my account
        manager" (called in sudo by the controller once it has validated the
        input and the user's access to ``ticket``)."""
        manager = partner._qubiq_account_manager()
        if not manager and ticket:
            manager = ticket._qubiq_account_manager()
        topics = dict(self._fields["topic"]._description_selection(self.env))
        followup = self.create(
            {
                "name": _(
                    "%(contact)s: %(topic)s",
                    contact=partner.display_name,
                    topic=topics.get(topic, topic),
                ),
                "origin": "portal",
                "topic": topic,
                "partner_id": partner.id,
                "company_id": (ticket.company_id if ticket else self.env.company).id,
                "user_id": manager.id,
                "ticket_id": ticket.id if ticket else False,
                "message": plaintext2html(text),
                "priority": "1",
            }
        )
        followup._qubiq_notify_manager(
            _(
                "%(contact)s wrote to you from the customer portal about: %(topic)s.",
                contact=partner.display_name,
                topic=topics.get(topic, topic),
            )
        )
        return followup

    def _qubiq_notify_manager(self, summary_text):
        """High-priority activity and a notification for the account manager."""
        self.ensure_one()
        if not self.user_id:
            self.message_post(
                body=_(
                    "Nobody answers for this customer (no account manager, "
                    "salesperson or team leader): assign an account manager."
                ),
                subtype_xmlid="mail.mt_note",
            )
            return
        self.message_subscribe(partner_ids=self.user_id.partner_id.ids)
        self.activity_schedule(
            "qubiq_helpdesk_portal.mail_activity_type_unhappy_customer",
            summary=_("High priority: %(name)s", name=self.name),
            note=plaintext2html(summary_text),
            user_id=self.user_id.id,
        )
        self.message_post(
            body=plaintext2html(summary_text),
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.user_id.partner_id.ids,
        )
