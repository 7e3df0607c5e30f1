# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.tools import plaintext2html

from . import portal_checks


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    qubiq_followup_ids = fields.One2many(
        "qubiq.satisfaction.followup", "ticket_id", string="Satisfaction follow-ups"
    )
    qubiq_followup_count = fields.Integer(
        string="Follow-ups", compute="_compute_qubiq_followup_count"
    )

    @api.depends("qubiq_followup_ids")
    def _compute_qubiq_followup_count(self):
        if not any(self._ids):
            for ticket in self:
                ticket.qubiq_followup_count = len(ticket.qubiq_followup_ids)
            return
        rows = self.env["qubiq.satisfaction.followup"]._read_group(
            [("ticket_id", "in", self.ids)], ["ticket_id"], ["__count"]
        )
        counts = {ticket.id: count for ticket, count in rows}
        for ticket in self:
            ticket.qubiq_followup_count = counts.get(ticket.id, 0)

    # ------------------------------------------------------------------ actions

    def action_view_qubiq_followups(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "qubiq_helpdesk_portal.qubiq_satisfaction_followup_action"
        )
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {"default_ticket_id": self.id}
        return action

    # ------------------------------------------------------------------ rating

    def rating_apply(
        self,
        rate,
        token=None,
        rating=None,
        feedback=None,
        subtype_xmlid=None,
        notify_delay_send=False,
    ):
        target = rating
        if token and not target:
            target = (
                self.env["rating.rating"]
                .sudo()
                .search([("access_token", "=", token)], limit=1)
            )
        previous = {target.id: target.feedback} if target else {}
        rating = super().rating_apply(
            rate,
            token=token,
            rating=rating,
            feedback=feedback,
            subtype_xmlid=subtype_xmlid,
            notify_delay_send=notify_delay_send,
        )
        # sudo: the rating controller applies ratings for the public user; the
        # follow-up is an internal record for the account manager.
        self.env["qubiq.satisfaction.followup"].sudo()._qubiq_sync_ratings(
            rating, previous
        )
        return rating

    def _qubiq_portal_rating(self):
        """The customer's last rating of this ticket (sudo), or an empty record."""
        self.ensure_one()
        return (
            self.sudo()
            .rating_ids.filtered(lambda r: r.consumed and r.rating)
            .sorted("write_date")[-1:]
        )

    def _qubiq_portal_rating_token(self, partner):
        """Access token of the rating request sent to ``partner`` and not answered
        yet, so the ticket page can offer the same faces as the e-mail. None when
        there is no pending request (the page never creates one)."""
        self.ensure_one()
        pending = self.sudo().rating_ids.filtered(
            lambda r: not r.consumed and r.partner_id == partner
        )
        return pending[:1].access_token or None

    # ------------------------------------------------------------------ portal

    def _qubiq_portal_attachments(self):
        """The ticket's files the customer may see (sudo records): the files of
        public messages, and the files the customer's side attached without a
        message (the portal form). Never the files of internal notes, nor the files
        agents keep on the ticket for themselves."""
        self.ensure_one()
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "=", self.id),
                    ("res_field", "=", False),
                ],
                order="id",
            )
        )
        if not attachments:
            return attachments
        messages = (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", self._name),
                    ("res_id", "=", self.id),
                    ("attachment_ids", "in", attachments.ids),
                ]
            )
        )
        linked, public = set(), set()
        for message in messages:
            linked.update(message.attachment_ids.ids)
            if (
                not message.is_internal
                and message.subtype_id
                and not message.subtype_id.internal
            ):
                public.update(message.attachment_ids.ids)
        return attachments.filtered(
            lambda a: a.id in public or (a.id not in linked and a.create_uid.share)
        )

    def _qubiq_portal_close_stages(self):
        """Stages the customer may close the ticket into (helpdesk_mgmt's "close
        from portal" flag), in sequence order."""
        self.ensure_one()
        return self.team_id._get_applicable_stages().filtered(
            lambda s: s.closed and s.close_from_portal
        )

    def _qubiq_portal_reopen_stage(self):
        self.ensure_one()
        return self.team_id._get_applicable_stages().filtered(lambda s: not s.closed)[
            :1
        ]

    def _qubiq_portal_reopen_until(self):
        """Until when the customer may reopen the ticket, or None."""
        self.ensure_one()
        if not self.closed:
            return None
        return portal_checks.reopen_deadline(
            self.closed_date, self.company_id.qubiq_portal_reopen_days
        )

    def _qubiq_portal_can_reopen(self):
        self.ensure_one()
        return (
            self.closed
            and bool(self._qubiq_portal_reopen_stage())
            and portal_checks.can_reopen(
                self.closed_date,
                self.company_id.qubiq_portal_reopen_days,
                fields.Datetime.now(),
            )
        )

    def _qubiq_portal_sla_rows(self):
        """[(kind, status, when)] of the SLA clock as the customer may see it, read
        from the stored fields of qubiq_helpdesk_sla."""
        self.ensure_one()
        return portal_checks.sla_rows(
            fields.Datetime.now(),
            response_deadline=self.sla_response_deadline,
            first_response_date=self.sla_first_response_date,
            resolution_deadline=self.sla_resolution_deadline,
            closed=self.closed,
            closed_date=self.closed_date,
            paused=self.sla_paused,
            has_sla=bool(self.sla_policy_id),
        )

    def _qubiq_portal_post(self, partner, text, files=None):
        """Post the customer's reply (plain text) with ``files`` [(name, bytes)] as
        ``partner``. Called on a sudo record by the portal once it has checked that
        the current user may read the ticket."""
        self.ensure_one()
        return self.message_post(
            body=plaintext2html(text or ""),
            author_id=partner.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            attachments=files or [],
        )

    def _qubiq_portal_close(self, stage, reason, partner):
        """Close the ticket on the customer's request. Called on a sudo record by
        the portal once it has checked the user's access to the ticket and that
        ``stage`` is one of ``_qubiq_portal_close_stages()``: the customer cannot
        write tickets themselves."""
        self.ensure_one()
        body = Markup("<p>%s</p>") % _(
            "%(partner)s closed the ticket from the portal (%(stage)s).",
            partner=partner.name,
            stage=stage.name,
        )
        if reason:
            body += Markup("<p><b>%s</b></p>") % _("Reason:") + plaintext2html(reason)
        # Posted while the ticket is still open: a customer message on a closed
        # ticket would be taken for a new request.
        self.message_post(
            body=body,
            author_id=partner.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.write({"stage_id": stage.id})

    def _qubiq_portal_reopen(self, reason, partner):
        """Reopen the ticket on the customer's request (sudo record, access and
        reopen window checked by the caller)."""
        self.ensure_one()
        stage = self._qubiq_portal_reopen_stage()
        self.write({"stage_id": stage.id})
        body = Markup("<p>%s</p>") % _(
            "%(partner)s reopened the ticket from the portal.", partner=partner.name
        )
        body += Markup("<p><b>%s</b></p>") % _("Reason:") + plaintext2html(reason)
        self.message_post(
            body=body,
            author_id=partner.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
