# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import timedelta

from markupsafe import Markup, escape

from odoo import _, _lt, fields, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request
from odoo.tools import plaintext2html

from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController
from odoo.addons.qubiq_helpdesk_sla.models import ticket_quality
from odoo.addons.qubiq_helpdesk_sla.models.helpdesk_ticket import (
    PRIORITY_DESCRIPTIONS,
)

from ..models import portal_checks
from . import uploads

_logger = logging.getLogger(__name__)

# The seed's advice (000, "Cómo detallar un ticket") for each ticket_quality code.
TITLE_HINTS = {
    "empty": _lt("Write a title: it is how we assign your ticket and find it later."),
    "all_caps": _lt(
        "Your title is all in capitals. Write it normally: capitals do not make a "
        "ticket go faster, the priority does."
    ),
    "urgent": _lt(
        "Rather than writing «urgent» in the title, choose the priority below: if "
        "every ticket is urgent, we cannot put first the ones that really are."
    ),
    "too_short": _lt(
        "Say what fails and where, in a few words: e.g. «Invoice numbering error when "
        "validating a vendor bill»."
    ),
}
DETAIL_HINTS = {
    "short": _lt(
        "Explain what happened in a few sentences: what you were doing, what you "
        "expected and what you got."
    ),
    "user": _lt("Say with which Odoo user it happens."),
    "company": _lt("Say in which company of your Odoo it happens."),
    "steps": _lt(
        "List the steps that lead to the error, e.g. «Accounting / Customer "
        "invoices > New > Validate»: we need to reproduce it."
    ),
    "evidence": _lt(
        "Attach full-screen screenshots or paste the full error text: the last lines "
        "of the error explain the most."
    ),
}
FORM_FIELDS = (
    "team",
    "category",
    "type",
    "subject",
    "description",
    "user_name",
    "company_name",
    "steps",
    "error_text",
    "priority",
    "critical_confirmed",
)
MAX_TITLE = 200
MAX_TEXT = 50000


class QubiqHelpdeskTicketForm(HelpdeskTicketController):
    """helpdesk_mgmt's /new/ticket and /submitted/ticket with the coaching form and
    a server-side validation that refuses bad input before writing anything (the
    OCA route creates the ticket with sudo from whatever ids it receives)."""

    # ------------------------------------------------------------------ form

    def _qubiq_types(self):
        """Types offered in the form, the seed's three first (incidencia, consulta,
        evolutivo), then any other one by name."""
        types = request.env["helpdesk.ticket.type"].search(
            [("active", "=", True), ("show_in_portal", "=", True)]
        )
        seed = [
            request.env.ref(f"qubiq_helpdesk_sla.ticket_type_{name}", False)
            for name in ("incidencia", "consulta", "evolutivo")
        ]
        first = types.browse([t.id for t in seed if t and t in types])
        return first | (types - first)

    def _qubiq_categories(self):
        return (
            request.env["helpdesk.ticket.category"]
            .with_company(request.env.company.id)
            .search([("active", "=", True), ("show_in_portal", "=", True)])
        )

    def _qubiq_priorities(self):
        field = request.env["helpdesk.ticket"]._fields["priority"]
        return [
            (value, label, str(PRIORITY_DESCRIPTIONS.get(value, "")))
            for value, label in field._description_selection(request.env)
        ]

    def _qubiq_default_type(self, types):
        incidencia = request.env.ref(
            "qubiq_helpdesk_sla.ticket_type_incidencia", raise_if_not_found=False
        )
        return incidencia if incidencia in types else types[:1]

    def _qubiq_clean(self, kw):
        return {
            name: (kw.get(name) or "").strip() if isinstance(kw.get(name), str) else ""
            for name in FORM_FIELDS
        }

    def _qubiq_hints(self, form, has_files, multi_company):
        """(title codes, detail codes) of ticket_quality for what was typed; the JS
        of the form computes the same while the customer types."""
        title = ticket_quality.title_warnings(form.get("subject"))
        text = " ".join(
            form.get(name, "") for name in ("description", "steps", "error_text")
        )
        details = ticket_quality.missing_details(
            text, has_attachments=has_files, multi_company=multi_company
        )
        drop = set()
        if form.get("user_name"):
            drop.add("user")
        if form.get("company_name"):
            drop.add("company")
        if form.get("steps"):
            drop.add("steps")
        if form.get("error_text"):
            drop.add("evidence")
        return title, [code for code in details if code not in drop]

    def _qubiq_form_values(self, posted=None, errors=None, had_files=False):
        user = request.env.user
        partner = user.partner_id
        commercial = partner.commercial_partner_id
        company = request.env.company
        types = self._qubiq_types()
        multi_company = commercial.helpdesk_multi_company
        form = {
            "user_name": user.name,
            "company_name": commercial.name if commercial != partner else "",
            "priority": "1",
            "type": str(self._qubiq_default_type(types).id or ""),
        }
        if posted is not None:
            form.update(self._qubiq_clean(posted))
        title_codes, detail_codes = ([], [])
        if posted is not None:
            title_codes, detail_codes = self._qubiq_hints(form, False, multi_company)
        return {
            "page_name": "new_ticket",
            "qubiq_form": form,
            "qubiq_errors": errors or [],
            "qubiq_had_files": had_files,
            "qubiq_types": types,
            "qubiq_categories": self._qubiq_categories(),
            "qubiq_priorities": self._qubiq_priorities(),
            "qubiq_title_hints": {
                code: str(text) for code, text in TITLE_HINTS.items()
            },
            "qubiq_detail_hints": {
                code: str(text) for code, text in DETAIL_HINTS.items()
            },
            "qubiq_title_codes": title_codes,
            "qubiq_detail_codes": detail_codes,
            "qubiq_multi_company": multi_company,
            "qubiq_emergency_phone": company._qubiq_portal_emergency_phone(),
            "qubiq_accept": uploads.ACCEPT,
            "qubiq_max_mb": company.qubiq_portal_max_attachment_mb,
            # helpdesk_mgmt's form script checks the size of the chosen files
            # against this before they are sent.
            "max_upload_size": uploads.max_bytes(company),
        }

    @http.route("/new/ticket", type="http", auth="user", website=True)
    def create_new_ticket(self, **kw):
        response = super().create_new_ticket(**kw)
        response.template = "qubiq_helpdesk_portal.portal_create_ticket"
        response.qcontext.update(self._qubiq_form_values())
        return response

    def _qubiq_refuse(self, kw, errors, had_files):
        response = super().create_new_ticket()
        response.template = "qubiq_helpdesk_portal.portal_create_ticket"
        response.qcontext.update(self._qubiq_form_values(kw, errors, had_files))
        response.status_code = 400
        return response

    # ------------------------------------------------------------------ submit

    def _qubiq_validate(self, form, teams, files_errors):
        """Translated messages, each naming the field and the fix; empty when the
        ticket may be created."""
        return (
            self._qubiq_validate_texts(form)
            + self._qubiq_validate_choices(form, teams)
            + self._qubiq_validate_priority(form)
            + list(files_errors)
            + self._qubiq_validate_rate()
        )

    def _qubiq_validate_texts(self, form):
        errors = []
        if not form["subject"]:
            errors.append(
                _(
                    "Title: write a short sentence that says what fails, e.g. "
                    "«Invoice numbering error when validating a vendor bill»."
                )
            )
        elif len(form["subject"]) > MAX_TITLE:
            errors.append(
                _(
                    "Title: keep it under %(max)s characters; the details go in the "
                    "description.",
                    max=MAX_TITLE,
                )
            )
        if not form["description"]:
            errors.append(
                _("What happens: explain what you were doing and what went wrong.")
            )
        if any(len(form[name]) > MAX_TEXT for name in FORM_FIELDS):
            errors.append(
                _(
                    "The text is too long (more than %(max)s characters in a field): "
                    "attach long logs as a text file.",
                    max=MAX_TEXT,
                )
            )
        commercial = request.env.user.partner_id.commercial_partner_id
        if commercial.helpdesk_multi_company and not form["company_name"]:
            errors.append(
                _(
                    "Company: you work with several companies in Odoo; tell us in "
                    "which one it happens."
                )
            )
        return errors

    def _qubiq_validate_choices(self, form, teams):
        """Team, category and type must be among the ones the form offered this
        user: a forged id is refused, never looked up with sudo."""
        company = request.env.company
        errors = []
        if form["team"] and form["team"] not in {str(team.id) for team in teams}:
            errors.append(_("Team: choose one of the teams in the list."))
        elif (
            teams and not form["team"] and company.helpdesk_mgmt_portal_team_id_required
        ):
            errors.append(_("Team: choose the team your ticket is for."))
        categories = self._qubiq_categories()
        if form["category"] and form["category"] not in {str(c.id) for c in categories}:
            errors.append(_("Category: choose one of the categories in the list."))
        elif (
            categories
            and not form["category"]
            and company.helpdesk_mgmt_portal_category_id_required
        ):
            errors.append(_("Category: choose the category of your ticket."))
        types = self._qubiq_types()
        if types and form["type"] not in {str(t.id) for t in types}:
            errors.append(
                _(
                    "Type: choose what your ticket is: %(types)s.",
                    types=", ".join(types.mapped("name")),
                )
            )
        return errors

    def _qubiq_validate_priority(self, form):
        priorities = [value for value, _label, _text in self._qubiq_priorities()]
        if form["priority"] not in priorities:
            return [_("Priority: choose one of the four levels.")]
        if form["priority"] != "3" or form["critical_confirmed"] == "1":
            return []
        phone = request.env.company._qubiq_portal_emergency_phone()
        if phone:
            return [
                _(
                    "Priority Critical: confirm that the whole service is stopped or "
                    "its security is at risk, or choose a lower priority. For a "
                    "server down, call us at %(phone)s.",
                    phone=phone,
                )
            ]
        return [
            _(
                "Priority Critical: confirm that the whole service is stopped or its "
                "security is at risk, or choose a lower priority."
            )
        ]

    def _qubiq_validate_rate(self):
        # sudo: count this contact's own recent tickets, whoever can read them.
        recent = (
            request.env["helpdesk.ticket"]
            .sudo()
            .search_count(
                [
                    ("partner_id", "=", request.env.user.partner_id.id),
                    ("create_date", ">=", fields.Datetime.now() - timedelta(hours=1)),
                ]
            )
        )
        limit = request.env.company.qubiq_portal_ticket_rate_limit
        if not portal_checks.rate_limited(recent, limit):
            return []
        return [
            _(
                "You have sent %(count)s tickets in the last hour. Please wait a few "
                "minutes before sending another one, or add to one of them.",
                count=recent,
            )
        ]

    def _qubiq_description(self, form):
        """The ticket body: what happens, who and where, the steps and the error
        text, each under its own heading for the agent."""
        parts = [plaintext2html(form["description"])]
        who = []
        if form["user_name"]:
            who.append(
                Markup("<strong>%s</strong> %s") % (_("User:"), form["user_name"])
            )
        if form["company_name"]:
            who.append(
                Markup("<strong>%s</strong> %s") % (_("Company:"), form["company_name"])
            )
        if who:
            parts.append(Markup("<p>%s</p>") % Markup("<br/>").join(who))
        if form["steps"]:
            parts.append(
                Markup("<p><strong>%s</strong></p>") % _("Steps to reproduce:")
                + plaintext2html(form["steps"])
            )
        if form["error_text"]:
            parts.append(
                Markup("<p><strong>%s</strong></p><pre>%s</pre>")
                % (_("Error text:"), escape(form["error_text"]))
            )
        return Markup("").join(parts)

    def _prepare_submit_ticket_vals(self, **kw):
        vals = super()._prepare_submit_ticket_vals(**kw)
        form = self._qubiq_clean(kw)
        vals.update(
            {
                "name": form["subject"],
                "description": self._qubiq_description(form),
                "priority": form["priority"],
            }
        )
        if form["type"]:
            vals["type_id"] = int(form["type"])
        return vals

    def _qubiq_submit_defaults(self, kw):
        """helpdesk_mgmt's form and integrators' website forms post only category,
        subject and description: a missing type or priority takes the form's
        default instead of refusing the ticket (a forged value is still refused)."""
        kw = dict(kw)
        if not kw.get("type"):
            kw["type"] = str(self._qubiq_default_type(self._qubiq_types()).id or "")
        if not kw.get("priority"):
            kw["priority"] = "1"
        return kw

    @http.route(
        "/submitted/ticket",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
        csrf=True,
    )
    def submit_ticket(self, **kw):
        # POST only: a GET (a link or an image on any page the customer visits)
        # must never file a ticket in their name; csrf=True checks the form token.
        kw = self._qubiq_submit_defaults(kw)
        files, file_errors = uploads.read_uploads("attachment", request.env.company)
        had_files = bool(files or file_errors)
        form = self._qubiq_clean(kw)
        teams = self._get_teams() or request.env["helpdesk.ticket.team"]
        errors = self._qubiq_validate(form, teams, file_errors)
        if errors:
            return self._qubiq_refuse(kw, errors, had_files)
        partner = request.env.user.partner_id
        try:
            with request.env.cr.savepoint():
                vals = self._prepare_submit_ticket_vals(**kw)
                # sudo: portal users cannot create tickets; every id in vals has
                # been checked against what this user may choose.
                ticket_sudo = request.env["helpdesk.ticket"].sudo().create(vals)
                ticket_sudo.message_subscribe(partner_ids=partner.ids)
                if files:
                    request.env["ir.attachment"].sudo().create(
                        [
                            {
                                "name": name,
                                "raw": data,
                                "res_model": "helpdesk.ticket",
                                "res_id": ticket_sudo.id,
                            }
                            for name, data in files
                        ]
                    )
        except (UserError, ValidationError, AccessError, MissingError) as error:
            return self._qubiq_refuse(kw, [error.args[0]], had_files)
        except Exception:  # the customer gets a message, never a traceback
            _logger.exception("Portal ticket from %s could not be created", partner)
            return self._qubiq_refuse(
                kw,
                [
                    _(
                        "Your ticket could not be sent because of an error on our "
                        "side. Please try again in a few minutes; your text is kept "
                        "below."
                    )
                ],
                had_files,
            )
        return request.redirect(f"/my/ticket/{ticket_sudo.id}?done=created")

    # ------------------------------------------------------------------ legacy

    @http.route("/ticket/close", type="http", auth="user", website=True)
    def support_ticket_close(self, **kw):
        """helpdesk_mgmt closes whatever ticket id this GET receives (sudo search, no
        access check, no CSRF). Keep the URL for old links but never write from it:
        send the user to the ticket page, where closing asks for confirmation and
        posts with CSRF, or answer "not found"."""
        ticket_id = kw.get("ticket_id")
        ticket = request.env["helpdesk.ticket"]
        if ticket_id and str(ticket_id).isdigit():
            ticket = ticket.browse(int(ticket_id)).exists()
        if ticket:
            try:
                ticket.check_access_rights("read")
                ticket.check_access_rule("read")
            except AccessError:
                ticket = ticket.browse()
        if not ticket:
            return request.render(
                "qubiq_helpdesk_portal.portal_ticket_not_found",
                {"page_name": "ticket"},
                status=404,
            )
        return request.redirect(f"/my/ticket/{ticket.id}#qubiq_close")
