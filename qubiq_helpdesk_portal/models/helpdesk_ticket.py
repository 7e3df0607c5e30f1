# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
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

    @api.model
    def _qubiq_demo_rating_apply(self, rating_id, rate, feedback):
        """Demo data: answer the rating request ``rating_id`` as its customer would
        from the e-mail, without the demo knowing (or fixing) its access token."""
        rating = self.env["rating.rating"].browse(rating_id)
        ticket = self.browse(rating.res_id)
        return ticket.rating_apply(rate, rating=rating, feedback=feedback)

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

    # ------------------------------------------------------------------ messages

    @api.returns("mail.message", lambda value: value.id)
    def message_post(self, **kwargs):
        """One gate for what customers write on a ticket, whatever the route: the
        portal's reply form, Odoo's portal chatter (/mail/chatter_post, with or
        without the ticket's token) and RPC ``message_post``. The mail gateway and
        internal users are not concerned (they are not ``share`` users)."""
        if self.env.user.share and self._qubiq_portal_gated_post(kwargs):
            kwargs = self._qubiq_portal_check_post(kwargs)
        return super().message_post(**kwargs)

    def _qubiq_portal_gated_post(self, kwargs):
        """A customer's own message: anything they post with their own rights, and
        comments posted on their behalf by a route that switched to sudo (portal
        routes, the chatter with a token). Notifications Odoo posts in sudo for
        them (a rating answered from the e-mail link) are not messages of theirs."""
        return not self.env.su or kwargs.get("message_type") == "comment"

    def _qubiq_portal_check_post(self, kwargs):
        """The reply form's rules, for every route; returns the values to post."""
        self.ensure_one()
        user = self.env.user
        if user._is_public():
            raise AccessError(
                _(
                    "Log in to answer this ticket: a link to a ticket lets you read "
                    "it, not write on it."
                )
            )
        try:
            # The user's own rights, not the sudo of a token route: a token lets
            # someone read a ticket, not act on it.
            mine = self.sudo(False)
            mine.check_access_rights("read")
            mine.check_access_rule("read")
        except AccessError as error:
            raise AccessError(
                _("You can only write on the tickets you may open in your portal.")
            ) from error
        # sudo: the stage and the files are read to apply the rules, nothing else.
        ticket_sudo = self.sudo()
        if ticket_sudo.closed:
            raise UserError(ticket_sudo._qubiq_portal_closed_message())
        files = [
            (attachment[0], attachment[1])
            for attachment in kwargs.get("attachments") or []
        ]
        pending = (
            self.env["ir.attachment"]
            .sudo()
            .browse(kwargs.get("attachment_ids") or [])
            .filtered(
                lambda a: a.res_model == "mail.compose.message" and a.create_uid == user
            )
        )
        files += [(attachment.name, attachment.raw or b"") for attachment in pending]
        files = [
            (name, content.encode() if isinstance(content, str) else content)
            for name, content in files
        ]
        errors = self.env["ir.attachment"]._qubiq_portal_file_errors(
            files, ticket_sudo.company_id
        )
        if errors:
            raise UserError("\n".join(errors))
        kwargs = dict(kwargs)
        # The author is always the posting user's own partner, never a colleague
        # or the ticket's customer named by the caller.
        kwargs.pop("email_from", None)
        kwargs.pop("subtype_id", None)
        kwargs.update(
            author_id=user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        return kwargs

    def _qubiq_portal_closed_message(self):
        """Why a customer may not write on this closed ticket any more."""
        self.ensure_one()
        if self._qubiq_portal_can_reopen():
            return _(
                "This ticket is closed: reopen it to go on with it, or send a new "
                "ticket."
            )
        return _(
            "This ticket was closed more than %(days)s days ago and cannot "
            "receive messages any more: send a new ticket and mention "
            "%(number)s.",
            days=self.company_id.qubiq_portal_reopen_days,
            number=self.number,
        )

    # ------------------------------------------------------------------ portal

    def _qubiq_portal_attachments(self, attachments=None):
        """The ticket's files the customer may see (sudo records): the files of
        public messages, and the files the customer's side attached without a
        message (the portal form). Never the files of internal notes, nor the files
        agents keep on the ticket for themselves. ``attachments``: every file of
        the ticket (not of a field), when the caller has searched them already."""
        self.ensure_one()
        if attachments is None:
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
        else:
            attachments = attachments.sudo().sorted("id")
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

    def _qubiq_portal_close_stages(self, portal_stages=None):
        """Stages the customer may close the ticket into (helpdesk_mgmt's "close
        from portal" flag), in sequence order. ``portal_stages``: the team's stages
        flagged "close from portal", when already searched (helpdesk_mgmt's page
        values)."""
        self.ensure_one()
        if portal_stages is None:
            portal_stages = self.team_id._get_applicable_stages()
        return portal_stages.filtered(lambda s: s.closed and s.close_from_portal)

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
