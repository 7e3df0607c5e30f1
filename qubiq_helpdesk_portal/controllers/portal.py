# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import OrderedDict
from operator import itemgetter

from odoo import _, fields, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request
from odoo.osv.expression import OR
from odoo.tools import groupby as groupbyelem
from odoo.tools.mimetypes import guess_mimetype

from odoo.addons.helpdesk_mgmt.controllers.myaccount import CustomerPortalHelpdesk
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models import portal_checks
from . import uploads
from .page_dates import date_formatter

MAX_MESSAGE_LENGTH = 20000


class QubiqHelpdeskPortal(CustomerPortalHelpdesk):
    """The customer's side of the helpdesk: ticket list and page, replies, closing
    and reopening (the "Contact my account manager" page: account_manager.py).

    Every route that changes something is a POST with CSRF, reads the ticket with
    the user's own rights (the record rules of this module decide who sees what)
    and only then uses sudo for what a portal user cannot write."""

    # ------------------------------------------------------------------ files

    @http.route()
    def attachment_add(self, name, file, res_model, res_id, access_token=None, **kw):
        """Odoo's portal upload (used by its chatter composer) answers 404 for a
        record the visitor may not reach, like every portal page of the suite (Odoo
        answers a 400 page), and applies the same file checks as this module's
        forms when the file is for a ticket or an intervention task."""
        try:
            record_sudo = self._document_check_access(
                res_model, int(res_id), access_token=access_token
            )
        except (AccessError, MissingError, ValueError, KeyError) as error:
            raise request.not_found() from error
        if request.env["ir.attachment"]._qubiq_portal_gated(res_model, record_sudo.id):
            company = request.env.company
            limit = uploads.max_bytes(company)
            data = file.read(limit + 1)
            file.seek(0)
            mimetype = guess_mimetype(data) if len(data) <= limit else ""
            code = portal_checks.attachment_problem(
                name, len(data), mimetype, data[:4096], limit
            )
            if code:
                raise UserError(uploads.problem_message(code, name, company))
        return super().attachment_add(
            name, file, res_model, res_id, access_token=access_token, **kw
        )

    # ------------------------------------------------------------------ list

    def _ticket_get_searchbar_sortings(self):
        sortings = super()._ticket_get_searchbar_sortings()
        # The list shows when the ticket was received (sla_start_date: a ticket
        # recorded later from a call or an old e-mail keeps its real date), so
        # "Newest" sorts on that date, not on the record's creation.
        sortings["date"] = dict(sortings["date"], order="sla_start_date desc, id desc")
        sortings.update(
            {
                "number": {
                    "label": _("Number"),
                    "order": "number desc, id desc",
                    "sequence": 5,
                },
                "priority": {
                    "label": _("Priority"),
                    "order": "priority desc, create_date desc",
                    "sequence": 6,
                },
                "sla": {
                    "label": _("Next deadline"),
                    "order": "sla_deadline asc, create_date desc",
                    "sequence": 7,
                },
            }
        )
        return sortings

    def _ticket_get_searchbar_inputs(self):
        inputs = super()._ticket_get_searchbar_inputs()
        inputs["description"] = {
            "input": "description",
            "label": _("Search in Description"),
            "order": 4,
        }
        return dict(sorted(inputs.items(), key=lambda item: item[1]["order"]))

    def _ticket_get_search_domain(self, search_in, search):
        domain = super()._ticket_get_search_domain(search_in, search)
        if search_in in ("description", "all"):
            domain = OR([domain, [("description", "ilike", search)]])
        return domain

    def _ticket_get_searchbar_groupby(self):
        groupby = super()._ticket_get_searchbar_groupby()
        groupby["type"] = {"input": "type", "label": _("Type"), "order": 4}
        return dict(sorted(groupby.items(), key=lambda item: item[1]["order"]))

    def _ticket_get_groupby_mapping(self):
        mapping = super()._ticket_get_groupby_mapping()
        mapping["type"] = "type_id"
        return mapping

    def _qubiq_ticket_filters(self):
        return OrderedDict(
            [
                (
                    "open",
                    {"label": _("Open"), "domain": [("stage_id.closed", "=", False)]},
                ),
                (
                    "closed",
                    {"label": _("Closed"), "domain": [("stage_id.closed", "=", True)]},
                ),
                ("all", {"label": _("All"), "domain": []}),
            ]
        )

    def _qubiq_ticket_scopes(self, partner):
        designated = partner.helpdesk_designated_contact
        return OrderedDict(
            [
                (
                    "all",
                    {
                        "label": _("My company's tickets")
                        if designated
                        else _("Mine and followed"),
                        "domain": [],
                    },
                ),
                (
                    "mine",
                    {
                        "label": _("Opened by me"),
                        "domain": [("partner_id", "=", partner.id)],
                    },
                ),
            ]
        )

    def _qubiq_date_range(self, date_begin, date_end):
        """(date_begin, date_end) as strings the ORM accepts, or (None, None) when
        either is not a date: a crafted URL shows the default list, not an error
        page."""
        try:
            begin = fields.Datetime.to_datetime(date_begin) if date_begin else None
            end = fields.Datetime.to_datetime(date_end) if date_end else None
        except (TypeError, ValueError):
            return None, None
        if not (begin and end):
            return None, None
        return fields.Datetime.to_string(begin), fields.Datetime.to_string(end)

    @http.route(
        ["/my/tickets", "/my/tickets/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_tickets(
        self,
        page=1,
        date_begin=None,
        date_end=None,
        sortby=None,
        filterby=None,
        search=None,
        search_in=None,
        groupby=None,
        scope=None,
        **kw,
    ):
        """helpdesk_mgmt's list, with the state and "mine / my company" filters.
        The record rules decide which tickets appear: nothing is added to the
        domain for security (helpdesk_mgmt merges ir.rule domains by hand)."""
        Ticket = request.env["helpdesk.ticket"]
        if not Ticket.check_access_rights("read", raise_exception=False):
            return request.redirect("/my")
        partner = request.env.user.partner_id
        values = self._prepare_portal_layout_values()
        sortings = dict(
            sorted(
                self._ticket_get_searchbar_sortings().items(),
                key=lambda item: item[1]["sequence"],
            )
        )
        filters = self._qubiq_ticket_filters()
        scopes = self._qubiq_ticket_scopes(partner)
        inputs = self._ticket_get_searchbar_inputs()
        groupbys = self._ticket_get_searchbar_groupby()
        # Unknown values from a crafted URL fall back to the defaults.
        sortby = sortby if sortby in sortings else "date"
        filterby = filterby if filterby in filters else "open"
        scope = scope if scope in scopes else "all"
        groupby = groupby if groupby in groupbys else "none"
        search_in = search_in if search_in in inputs else "all"
        date_begin, date_end = self._qubiq_date_range(date_begin, date_end)

        domain = filters[filterby]["domain"] + scopes[scope]["domain"]
        if date_begin and date_end:
            domain += [
                ("create_date", ">", date_begin),
                ("create_date", "<=", date_end),
            ]
        if search:
            domain += self._ticket_get_search_domain(search_in, search)

        ticket_count = Ticket.search_count(domain)
        pager = portal_pager(
            url="/my/tickets",
            url_args={
                "date_begin": date_begin,
                "date_end": date_end,
                "sortby": sortby,
                "filterby": filterby,
                "scope": scope,
                "groupby": groupby,
                "search": search,
                "search_in": search_in,
            },
            total=ticket_count,
            page=page,
            step=self._items_per_page,
        )
        order = self._ticket_get_order(sortings[sortby]["order"], groupby)
        tickets = Ticket.search(
            domain, order=order, limit=self._items_per_page, offset=pager["offset"]
        )
        request.session["my_tickets_history"] = tickets.ids[:100]
        group = self._ticket_get_groupby_mapping().get(groupby)
        if group:
            grouped_tickets = [
                Ticket.concat(*g) for _k, g in groupbyelem(tickets, itemgetter(group))
            ]
        elif tickets:
            grouped_tickets = [tickets]
        else:
            grouped_tickets = []
        values.update(
            {
                "date": date_begin,
                "date_end": date_end,
                "grouped_tickets": grouped_tickets,
                "page_name": "ticket",
                "default_url": "/my/tickets",
                "pager": pager,
                "searchbar_sortings": sortings,
                "searchbar_groupby": groupbys,
                "searchbar_inputs": inputs,
                "search_in": search_in,
                "search": search,
                "sortby": sortby,
                "groupby": groupby,
                "searchbar_filters": filters,
                "filterby": filterby,
                "qubiq_scopes": scopes,
                "qubiq_scope": scope,
                "qubiq_designated": partner.helpdesk_designated_contact,
                "qubiq_now": fields.Datetime.now(),
                # The priorities' labels in the user's language, once: a t-field
                # of the priority on each row builds the field's whole
                # description (every attribute translated) for each ticket.
                "qubiq_priority_labels": dict(
                    Ticket._fields["priority"]._description_selection(request.env)
                ),
                # The rows' dates, formatted with the language looked up once.
                "qubiq_date": date_formatter(request.env),
            }
        )
        return request.render("helpdesk_mgmt.portal_my_tickets", values)

    # ------------------------------------------------------------------ ticket

    def _qubiq_not_found(self):
        """Same answer for a ticket that does not exist and for one the user may
        not see: nothing tells them apart."""
        values = self._prepare_portal_layout_values()
        values["page_name"] = "ticket"
        return request.render(
            "qubiq_helpdesk_portal.portal_ticket_not_found", values, status=404
        )

    def _qubiq_customer_ticket(self, ticket_id):
        """The ticket, sudo, when the logged-in user may read it by the record
        rules; None otherwise. Writing routes use this, never an access token: a
        token shared by e-mail lets someone read a ticket, not act on it."""
        if ticket_id in getattr(request, "_qubiq_readable_tickets", ()):
            return request.env["helpdesk.ticket"].browse(ticket_id).sudo()
        ticket = request.env["helpdesk.ticket"].browse(ticket_id).exists()
        if not ticket or request.env.user._is_public():
            return None
        try:
            ticket.check_access_rights("read")
            ticket.check_access_rule("read")
        except AccessError:
            return None
        return ticket.sudo()

    @http.route(
        ["/my/ticket/<int:ticket_id>"], type="http", auth="public", website=True
    )
    def portal_my_ticket(self, ticket_id, access_token=None, **kw):
        try:
            ticket_sudo = self._document_check_access(
                "helpdesk.ticket", ticket_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return self._qubiq_not_found()
        if not access_token and not request.env.user._is_public():
            # Without a token, the check above was the user's own read access (the
            # record rules): the page's buttons need not check it again.
            request._qubiq_readable_tickets = {ticket_sudo.id}
        return self._qubiq_render_ticket(ticket_sudo, access_token, kw)

    def _qubiq_render_ticket(self, ticket_sudo, access_token=None, kw=None, **extra):
        status = extra.pop("status", 200)
        values = self._ticket_get_page_view_values(
            ticket_sudo, access_token, **(kw or {})
        )
        values.update(extra)
        return request.render(
            "helpdesk_mgmt.portal_helpdesk_ticket_page", values, status=status
        )

    def _ticket_get_page_view_values(self, ticket, access_token, **kwargs):
        values = super()._ticket_get_page_view_values(ticket, access_token, **kwargs)
        user = request.env.user
        partner = user.partner_id
        # helpdesk_mgmt lists (and hands out tokens for) every file of the ticket,
        # the files of internal notes included: show the customer's share only.
        # helpdesk_mgmt searched the ticket's files and its "close from portal"
        # stages for its own values: filtered here, not searched again.
        files = ticket._qubiq_portal_attachments(values.get("files"))
        files.generate_access_token()
        can_act = self._qubiq_customer_ticket(ticket.id) is not None
        rating = ticket._qubiq_portal_rating()
        values.update(
            {
                "files": files,
                "qubiq_can_act": can_act,
                "qubiq_close_stages": ticket._qubiq_portal_close_stages(
                    values.get("closed_stages")
                )
                if can_act and not ticket.closed
                else ticket.env["helpdesk.ticket.stage"],
                "qubiq_can_reopen": can_act and ticket._qubiq_portal_can_reopen(),
                "qubiq_reopen_until": ticket._qubiq_portal_reopen_until(),
                "qubiq_reopen_days": ticket.company_id.qubiq_portal_reopen_days,
                "qubiq_sla_rows": ticket._qubiq_portal_sla_rows(),
                "qubiq_rating": rating,
                "qubiq_rating_token": not rating
                and ticket.partner_id == partner
                and ticket._qubiq_portal_rating_token(partner),
                "qubiq_accept": uploads.ACCEPT,
                "qubiq_max_mb": ticket.company_id.qubiq_portal_max_attachment_mb,
                "qubiq_flash": kwargs.get("done"),
                "qubiq_reply_errors": [],
                "qubiq_reply_text": "",
                "qubiq_close_errors": [],
                "qubiq_reopen_errors": [],
                "qubiq_form_reason": "",
            }
        )
        return values

    @http.route(
        ["/my/ticket/<int:ticket_id>/reply"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_ticket_reply(self, ticket_id, message="", **kw):
        ticket_sudo = self._qubiq_customer_ticket(ticket_id)
        if ticket_sudo is None:
            return self._qubiq_not_found()
        text = (message or "").strip()
        files, errors = uploads.read_uploads("attachment", ticket_sudo.company_id)
        if ticket_sudo.closed:
            errors.append(ticket_sudo._qubiq_portal_closed_message())
        if not text and not files and not errors:
            errors.append(_("Message: write your answer or attach a file."))
        if len(text) > MAX_MESSAGE_LENGTH:
            errors.append(
                _(
                    "Message: it is longer than %(max)s characters. Attach long "
                    "logs as a text file.",
                    max=MAX_MESSAGE_LENGTH,
                )
            )
        if errors:
            return self._qubiq_render_ticket(
                ticket_sudo,
                qubiq_reply_errors=errors,
                qubiq_reply_text=message or "",
                status=400,
            )
        # sudo: access was checked above with the customer's own rights; posting
        # runs the SLA hooks, which read internal records (clock pauses).
        ticket_sudo._qubiq_portal_post(request.env.user.partner_id, text, files)
        return request.redirect(f"/my/ticket/{ticket_id}?done=sent#qubiq_reply")

    @http.route(
        ["/my/ticket/<int:ticket_id>/close"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_ticket_close(self, ticket_id, stage_id=None, reason="", **kw):
        ticket_sudo = self._qubiq_customer_ticket(ticket_id)
        if ticket_sudo is None:
            return self._qubiq_not_found()
        stages = ticket_sudo._qubiq_portal_close_stages()
        stage = stages[:1]
        if stage_id:
            stage = stages.filtered(lambda s: str(s.id) == str(stage_id))
        errors = []
        if ticket_sudo.closed:
            errors.append(_("This ticket is already closed."))
        elif not stage:
            errors.append(
                _(
                    "Close ticket: this ticket cannot be closed from the portal. "
                    "Write to us and we will close it."
                )
            )
        if len(reason or "") > MAX_MESSAGE_LENGTH:
            errors.append(_("Reason: keep it shorter."))
        if errors:
            return self._qubiq_render_ticket(
                ticket_sudo,
                qubiq_close_errors=errors,
                qubiq_form_reason=reason or "",
                status=400,
            )
        # sudo: customers cannot write tickets; access was checked just above and
        # the stage is one of the team's "close from portal" stages.
        ticket_sudo._qubiq_portal_close(
            stage, (reason or "").strip(), request.env.user.partner_id
        )
        return request.redirect(f"/my/ticket/{ticket_id}?done=closed")

    @http.route(
        ["/my/ticket/<int:ticket_id>/reopen"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_ticket_reopen(self, ticket_id, reason="", **kw):
        ticket_sudo = self._qubiq_customer_ticket(ticket_id)
        if ticket_sudo is None:
            return self._qubiq_not_found()
        reason = (reason or "").strip()
        errors = []
        if not ticket_sudo.closed:
            errors.append(_("This ticket is not closed."))
        elif not ticket_sudo._qubiq_portal_can_reopen():
            errors.append(
                _(
                    "This ticket was closed more than %(days)s days ago: send a new "
                    "ticket and mention %(number)s.",
                    days=ticket_sudo.company_id.qubiq_portal_reopen_days,
                    number=ticket_sudo.number,
                )
            )
        elif not reason:
            errors.append(
                _("Reason: tell us what is still wrong so that we can go on with it.")
            )
        if errors:
            return self._qubiq_render_ticket(
                ticket_sudo,
                qubiq_reopen_errors=errors,
                qubiq_form_reason=reason,
                status=400,
            )
        # sudo: as for closing, after the access check and within the window.
        ticket_sudo._qubiq_portal_reopen(reason, request.env.user.partner_id)
        return request.redirect(f"/my/ticket/{ticket_id}?done=reopened")
