# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta
from zoneinfo import ZoneInfo

from odoo import _, api, fields, models
from odoo.tools.misc import format_date, format_time

# Channels whose tickets nobody confirmed on screen: the customer gets a mail.
ACKNOWLEDGED_CHANNELS = ("email", "phone")
# Tickets received longer ago than this are imports of the past, not acknowledged.
MAX_AGE = timedelta(hours=1)


# One flow per file (see ARCHITECTURE.md): the acknowledgement of e-mail and phone
# tickets lives here, after the clocks have started in helpdesk_ticket.py.
class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"  # pylint: disable=consider-merging-classes-inherited

    sla_response_due_text = fields.Char(
        string="Response due (customer's time)",
        compute="_compute_sla_response_due_text",
        help="The response deadline in the customer's language and time zone (the "
        "company's when the customer has none), as the acknowledgement mail shows it.",
    )

    @api.depends(
        "sla_response_deadline",
        "partner_id.tz",
        "company_id.partner_id.tz",
        "team_id.resource_calendar_id.tz",
    )
    @api.depends_context("lang")
    def _compute_sla_response_due_text(self):
        for ticket in self:
            deadline = ticket.sla_response_deadline
            if not deadline:
                ticket.sla_response_due_text = False
                continue
            tz = ticket._sla_customer_tz()
            local = deadline.replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo(tz))
            ticket.sla_response_due_text = _(
                "%(date)s at %(time)s (%(tz)s)",
                date=format_date(self.env, local.date(), date_format="full"),
                time=format_time(self.env, local.time(), time_format="HH:mm"),
                tz=tz,
            )

    @api.model_create_multi
    def create(self, vals_list):
        # super() started the clocks: the response deadline is known now.
        tickets = super().create(vals_list)
        tickets._sla_acknowledge()
        return tickets

    def _sla_customer_tz(self):
        self.ensure_one()
        return (
            self.partner_id.tz
            or self.company_id.partner_id.tz
            or self.team_id.resource_calendar_id.tz
            or "UTC"
        )

    def _sla_acknowledge(self):
        """Tell the customer of each e-mail or phone ticket that it was received: its
        number, its portal link and when to expect an answer. Portal and backend
        tickets are not acknowledged (the customer saw the ticket created), nor those
        whose stage has a mail template (helpdesk_mgmt mails the customer on creation
        then), nor past tickets being imported (``_sla_import_history``)."""
        received_after = fields.Datetime.now() - MAX_AGE
        tickets = self.filtered(
            lambda t: (
                t.channel in ACKNOWLEDGED_CHANNELS
                and (t.sla_start_date or received_after) >= received_after
                and (not t.team_id or t.team_id.acknowledge_tickets)
                and not t.stage_id.mail_template_id
            )
        )
        tickets._sla_post_customer_mail(
            "qubiq_helpdesk_sla.mail_template_ticket_acknowledgement"
        )

    def _sla_post_customer_mail(self, xmlid):
        """Post the mail template ``xmlid`` on each ticket, to its customer (with an
        e-mail address), in the chatter. auto_comment: an automatic mail, not an
        agent's answer, so the response clock keeps running (see
        ``_message_post_after_hook``)."""
        tickets = self.filtered("partner_id.email")
        if not tickets:
            return
        # Looked up only when needed: env.ref runs a query.
        template = self.env.ref(xmlid, raise_if_not_found=False)
        if not template:
            return
        for ticket in tickets:
            ticket.message_post_with_source(
                template,
                message_type="auto_comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=ticket.partner_id.ids,
            )
