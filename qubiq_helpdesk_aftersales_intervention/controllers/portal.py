# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import content_disposition, request

from odoo.addons.helpdesk_mgmt.controllers.myaccount import CustomerPortalHelpdesk
from odoo.addons.project.controllers.portal import ProjectCustomerPortal

REPORT = "qubiq_helpdesk_aftersales_intervention.action_report_intervention"


def _visible(model, domain):
    """Records of ``model`` matching ``domain`` that the visitor may read.

    Runs with the visitor's own rights (access rights and record rules), not
    with the sudo of the page being rendered: another customer's interventions
    never show.
    """
    records = request.env[model]
    if not records.check_access_rights("read", raise_exception=False):
        return records
    return records.search(domain)


class InterventionTaskPortal(ProjectCustomerPortal):
    def _task_get_page_view_values(self, task, access_token, **kwargs):
        values = super()._task_get_page_view_values(task, access_token, **kwargs)
        values["intervention_ticket"] = (
            _visible("helpdesk.ticket", [("id", "=", task.helpdesk_ticket_id.id)])
            if task.helpdesk_ticket_id
            else request.env["helpdesk.ticket"]
        )
        return values

    def _intervention_signer(self, task_sudo):
        """Partner signing: the visitor, or the task's customer for a token."""
        visitor = request.env.user
        return task_sudo.partner_id if visitor._is_public() else visitor.partner_id

    @http.route(
        "/my/tasks/<int:task_id>/intervention/sign",
        type="json",
        auth="public",
        website=True,
    )
    def portal_intervention_sign(
        self, task_id, access_token=None, name=None, signature=None
    ):
        access_token = access_token or request.httprequest.args.get("access_token")
        try:
            # check the visitor's access first; task_sudo is only used below
            task_sudo = self._document_check_access(
                "project.task", task_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return {"error": _("This intervention does not exist or is not yours.")}
        try:
            # a portal user cannot write tasks: the signature fields only are
            # written, by the model method that checks the report awaits one
            task_sudo._intervention_sign(name, signature)
        except UserError as error:
            return {"error": error.args[0]}
        except (TypeError, ValueError):
            return {"error": _("The signature could not be read: sign again.")}
        name = task_sudo.intervention_signed_by
        message = _("Intervention report signed by %(name)s", name=name)
        attachments = []
        try:
            content = (
                request.env["ir.actions.report"]
                .sudo()
                .with_company(task_sudo.company_id)
                ._render_qweb_pdf(REPORT, task_sudo.ids)[0]
            )
            attachments = [
                (f"{task_sudo._intervention_report_filename()}.pdf", content)
            ]
        except UserError:
            # no PDF engine on the server: the signature is kept, the report
            # stays printable from the task
            attachments = []
        # Posted with sudo like the signature (access checked above): the
        # followers (team, technicians) are notified, which a portal user's
        # own environment may not do.
        signer = self._intervention_signer(task_sudo)
        signed_message = task_sudo.message_post(
            body=message,
            attachments=attachments,
            author_id=signer.id,
            email_from=signer.email_formatted or signer.display_name,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        if task_sudo.helpdesk_ticket_id:
            task_sudo.helpdesk_ticket_id._aftersales_log(
                task_sudo, message, author=signer
            )
        # The signer is the author of the message above, and Odoo does not
        # notify authors: the customer gets the signed report by its own e-mail.
        task_sudo._intervention_send_signed_report(
            signer | task_sudo.partner_id, signed_message.attachment_ids
        )
        return {
            "force_refresh": True,
            # a new query string: an anchor alone would not reload the page
            "redirect_url": task_sudo.get_portal_url(
                query_string="&message=intervention_signed",
                anchor="task_intervention_report",
            ),
        }

    @http.route(
        "/my/tasks/<int:task_id>/intervention/report",
        type="http",
        auth="public",
        website=True,
    )
    def portal_intervention_report(
        self, task_id, access_token=None, report_type="pdf", download=False, **kw
    ):
        try:
            task_sudo = self._document_check_access(
                "project.task", task_id, access_token=access_token
            )
        except (AccessError, MissingError) as error:
            raise request.not_found() from error
        if not task_sudo.intervention_sign_required or report_type not in (
            "pdf",
            "html",
        ):
            raise request.not_found()
        Report = (
            request.env["ir.actions.report"].sudo().with_company(task_sudo.company_id)
        )
        if report_type == "pdf":
            content = Report._render_qweb_pdf(REPORT, task_sudo.ids)[0]
        else:
            content = Report._render_qweb_html(REPORT, task_sudo.ids)[0]
        headers = [
            (
                "Content-Type",
                "application/pdf" if report_type == "pdf" else "text/html",
            ),
            ("Content-Length", len(content)),
        ]
        if report_type == "pdf" and download:
            headers.append(
                (
                    "Content-Disposition",
                    content_disposition(
                        f"{task_sudo._intervention_report_filename()}.pdf"
                    ),
                )
            )
        return request.make_response(content, headers=headers)


class InterventionTicketPortal(CustomerPortalHelpdesk):
    def _ticket_get_page_view_values(self, ticket, access_token, **kwargs):
        values = super()._ticket_get_page_view_values(ticket, access_token, **kwargs)
        values["intervention_tasks"] = _visible(
            "project.task", [("helpdesk_ticket_id", "=", ticket.id)]
        )
        return values
