# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import logging
import threading
from collections import defaultdict
from datetime import datetime, time, timedelta
from time import monotonic
from zoneinfo import ZoneInfo

from odoo import _, api, fields, models
from odoo.tools import split_every

from . import review_engine as engine
from .log_claim import claim_rows

_logger = logging.getLogger(__name__)

# Seconds a run of the monthly job may spend before it continues in a new run.
TIME_BUDGET = 600


class QubiqAccountReviewSend(models.Model):
    """One monthly pack sent: to a customer (its compliance summary and hours
    statement of the month) or to an account manager (the summary of all their
    customers). The unique (partner, month) key is claimed before sending, so a
    month is sent once whatever the number of runs or workers."""

    _name = "qubiq.account.review.send"
    _description = "Monthly account pack sent"
    _order = "month desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", required=True, readonly=True, index=True, ondelete="cascade"
    )
    month = fields.Char(required=True, readonly=True, help="YYYY-MM")
    kind = fields.Selection(
        [("customer", "Customer pack"), ("summary", "Account manager summary")],
        required=True,
        readonly=True,
        default="customer",
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    user_id = fields.Many2one("res.users", string="Account manager", readonly=True)
    message_id = fields.Many2one("mail.message", readonly=True, ondelete="set null")
    attachment_names = fields.Char(string="Documents", readonly=True)

    _sql_constraints = [
        (
            "partner_month_uniq",
            "unique(partner_id, month)",
            "The monthly pack of this month was already sent to this partner.",
        )
    ]

    # ------------------------------------------------------------------ job

    @api.model
    def _cron_monthly_pack(self):
        """Daily: from the first working day of the month (the company's calendar)
        on, send the pack of the month just closed to every opted-in customer not
        sent yet, then each account manager's summary."""
        today = fields.Date.context_today(self)
        for company in self.env["res.company"].search([]):
            if engine.pack_due(today, self._working_days(company, today)):
                self.with_company(company)._send_month(
                    engine.previous_month(today), company
                )
        return True

    @api.model
    def _working_days(self, company, today):
        """A predicate: whether a day of ``today``'s month is worked in the company's
        calendar (public holidays excluded). One computation for the month."""
        calendar = company.resource_calendar_id
        if not calendar:
            return lambda day: day.weekday() < 5
        first, last = engine.month_bounds(engine.month_key(today))
        zone = ZoneInfo(calendar.tz or "UTC")
        start = datetime.combine(first, time.min, tzinfo=zone)
        end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone)
        intervals = calendar._work_intervals_batch(start, end)[False]
        worked = {begin.date() for begin, _end, _record in intervals}
        return worked.__contains__

    @api.model
    def _auto_commit(self):
        """Commit per batch in a real run; a test's transaction is rolled back."""
        return not getattr(threading.current_thread(), "testing", False)

    @api.model
    def _send_month(self, month, company, batch_size=None):
        """Send ``month``'s packs of ``company``'s customers, a batch of customers
        per transaction; then the summaries. Returns the log rows created."""
        Review = self.env["qubiq.account.review"]
        contracts, banks, partners = Review._candidates(month, company)
        partners = partners.filtered("account_review_opt_in")
        done = set(
            self.sudo()
            .search([("month", "=", month), ("partner_id", "in", partners.ids)])
            .partner_id.ids
        )
        pending = partners.filtered(lambda p: p.id not in done)
        batch_size = batch_size or company.qubiq_review_batch_size or 50
        sent = self.browse()
        # Rendering PDFs takes about a second each: past the budget, the job stops
        # between batches and schedules itself again, before the worker's time limit.
        stop_at = monotonic() + TIME_BUDGET
        batches = list(split_every(batch_size, pending.ids))
        for index, batch_ids in enumerate(batches):
            batch = self.env["res.partner"].browse(batch_ids)
            sent |= self._send_batch(batch, month, company, contracts, banks)
            if self._auto_commit():
                self.env.cr.commit()  # pylint: disable=invalid-commit
            if index + 1 < len(batches) and monotonic() > stop_at:
                self.env.ref(
                    "qubiq_helpdesk_account_review.ir_cron_account_review_monthly_pack"
                )._trigger()
                return sent
        sent |= self._send_summaries(month, company)
        if self._auto_commit():
            self.env.cr.commit()  # pylint: disable=invalid-commit
        return sent

    @api.model
    def _send_batch(self, partners, month, company, contracts, banks):
        """Claim then send the packs of these customers (one claim query)."""
        rows = claim_rows(
            self.env,
            self._table,
            ["partner_id", "month", "kind", "company_id"],
            [(p.id, month, "customer", company.id) for p in partners],
        )
        claimed = self.env["res.partner"].browse([row[0] for row in rows])
        logs = self.sudo().search(
            [("partner_id", "in", claimed.ids), ("month", "=", month)]
        )
        by_partner = {log.partner_id.id: log for log in logs}
        contracts_of = defaultdict(lambda: contracts.browse())
        for contract in contracts:
            contracts_of[contract.partner_id.commercial_partner_id.id] |= contract
        banks_of = defaultdict(lambda: banks.browse())
        for bank in banks:
            banks_of[bank.partner_id.commercial_partner_id.id] |= bank
        failed = self.browse()
        for partner in claimed:
            log = by_partner[partner.id]
            try:
                with self.env.cr.savepoint():
                    log._send_pack(contracts_of[partner.id], banks_of[partner.id])
            except Exception:
                # One customer's failure (a report, an address) must not stop the
                # others: its claim is dropped so that the next run retries it.
                _logger.exception(
                    "Monthly pack %s of %s not sent", month, partner.display_name
                )
                failed |= log
        failed.unlink()
        return logs - failed

    # ------------------------------------------------------------------ customer

    def _file_names(self):
        """The PDFs' names in the language of the context (the reader's)."""
        self.ensure_one()
        return {
            "compliance": _("Contract compliance %(month)s.pdf", month=self.month),
            "hours": _("Hours statement %(month)s.pdf", month=self.month),
            "summary": _("Account review %(month)s.pdf", month=self.month),
        }

    def _render_pdf(self, xmlid, res_ids, data=None):
        report = self.env.ref(xmlid).sudo()
        pdf, _format = report._render_qweb_pdf(report, res_ids, data=data)
        return pdf

    def _send_pack(self, contracts, banks):
        """The customer's e-mail of the month, with the PDFs that apply, in the
        recipients' language; the account manager in copy."""
        self.ensure_one()
        partner = self.partner_id
        first, last = engine.month_bounds(self.month)
        recipients = partner._account_review_recipients()
        lang = partner._account_review_lang(recipients)
        env = self.with_context(lang=lang).env
        names = self.with_context(lang=lang)._file_names()
        attachments = []
        if contracts:
            # sudo: the job runs for every customer, the wizard reads all clocks.
            wizard = (
                env["qubiq.sla.compliance"]
                .sudo()
                .create(
                    {
                        "partner_id": partner.id,
                        "company_id": self.company_id.id,
                        "date_from": first,
                        "date_to": last,
                        "group_by": "priority",
                    }
                )
            )
            wizard.action_compute()
            attachments.append(
                (
                    names["compliance"],
                    self._render_pdf(
                        "qubiq_helpdesk_sla.action_report_sla_compliance", wizard.ids
                    ),
                )
            )
        for bank in banks:
            attachments.append(
                (
                    names["hours"],
                    self._render_pdf(
                        "qubiq_hours_bank.action_report_hours_statement",
                        bank.ids,
                        data={
                            "bank_ids": bank.ids,
                            "date_from": fields.Date.to_string(first),
                            "date_to": fields.Date.to_string(last),
                        },
                    ),
                )
            )
        manager = partner._qubiq_account_manager()
        template = self.env.ref(
            "qubiq_helpdesk_account_review.mail_template_monthly_pack"
        ).sudo()
        subject = template._render_field(
            "subject",
            partner.ids,
            set_lang=lang,
            add_context={"review_month": self.month},
        )[partner.id]
        body = template._render_field(
            "body_html",
            partner.ids,
            set_lang=lang,
            add_context={"review_month": self.month},
        )[partner.id]
        message = (
            partner.sudo()
            .with_context(lang=lang, mail_notify_author=True)
            .message_post(
                subject=subject,
                body=body,
                attachments=attachments,
                partner_ids=(recipients | manager.partner_id).ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                email_layout_xmlid="mail.mail_notification_light",
            )
        )
        self.sudo().write(
            {
                "message_id": message.id,
                "user_id": manager.id,
                "attachment_names": ", ".join(name for name, _pdf in attachments),
            }
        )

    # ------------------------------------------------------------------ manager

    @api.model
    def _send_summaries(self, month, company):
        """Each account manager's one-page summary of all their customers of the
        month, once (claimed like a customer pack, on the manager's partner)."""
        Review = self.env["qubiq.account.review"]
        _contracts, _banks, partners = Review._candidates(month, company)
        by_manager = {}
        for partner in partners:
            manager = partner._qubiq_account_manager()
            if manager:
                by_manager.setdefault(manager, self.env["res.partner"])
                by_manager[manager] |= partner
        if not by_manager:
            return self.browse()
        managers = list(by_manager)
        rows = claim_rows(
            self.env,
            self._table,
            ["partner_id", "month", "kind", "company_id", "user_id"],
            [(m.partner_id.id, month, "summary", company.id, m.id) for m in managers],
        )
        claimed = {row[0] for row in rows}
        logs = self.sudo().search(
            [("partner_id", "in", list(claimed)), ("month", "=", month)]
        )
        for log in logs:
            log._send_summary()
        return logs

    def _send_summary(self):
        self.ensure_one()
        manager = self.user_id
        lang = manager.lang or "en_US"
        pdf = self.with_context(lang=lang)._render_pdf(
            "qubiq_helpdesk_account_review.action_report_account_review_summary",
            manager.ids,
            data={"month": self.month, "company_id": self.company_id.id},
        )
        name = self.with_context(lang=lang)._file_names()["summary"]
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": name,
                    "datas": base64.b64encode(pdf),
                    "res_model": self._name,
                    "res_id": self.id,
                    "mimetype": "application/pdf",
                }
            )
        )
        template = self.env.ref(
            "qubiq_helpdesk_account_review.mail_template_monthly_summary"
        ).sudo()
        template.with_context(lang=lang).send_mail(
            self.id,
            email_values={
                "recipient_ids": [(4, manager.partner_id.id)],
                "attachment_ids": [(4, attachment.id)],
            },
        )
        self.attachment_names = name
