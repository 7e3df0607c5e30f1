# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date

from ..models import sla_stats
from ..models.qubiq_sla_clock import CLOCK_KINDS

# Groupings by a record: (model, field of the report).
RECORD_GROUPS = {
    "team": ("helpdesk.ticket.team", "team_id"),
    "customer": ("res.partner", "partner_id"),
    "type": ("helpdesk.ticket.type", "type_id"),
    "agent": ("res.users", "user_id"),
}
GROUPINGS = [
    ("priority", "Priority"),
    ("team", "Team"),
    ("customer", "Customer"),
    ("type", "Ticket type"),
    ("agent", "Agent"),
    ("level", "Support level"),
    ("week", "Week"),
    ("month", "Month"),
    ("quarter", "Quarter"),
]


def _last_month():
    first_of_this = fields.Date.today().replace(day=1)
    return first_of_this - relativedelta(months=1), first_of_this - timedelta(days=1)


class QubiqSlaCompliance(models.TransientModel):
    """Contract compliance over a period: met rate, mean and 90th percentile of the
    working time to respond and to solve, by priority (or team, customer...),
    contractual and indicative targets apart. Printable for the customer."""

    _name = "qubiq.sla.compliance"
    _description = "SLA compliance summary"

    date_from = fields.Date(
        string="From", required=True, default=lambda self: _last_month()[0]
    )
    date_to = fields.Date(
        string="To", required=True, default=lambda self: _last_month()[1]
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        domain="[('is_company', '=', True)]",
        help="Empty: every customer.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    group_by = fields.Selection(GROUPINGS, required=True, default="priority")
    contract_id = fields.Many2one(
        "qubiq.support.contract", compute="_compute_contract_id"
    )
    line_ids = fields.One2many(
        "qubiq.sla.compliance.line", "wizard_id", string="Figures"
    )

    @api.depends("partner_id", "company_id", "date_to")
    def _compute_contract_id(self):
        Contract = self.env["qubiq.support.contract"]
        for wizard in self:
            found = Contract
            if wizard.partner_id:
                found = Contract.search(
                    [
                        ("partner_id", "=", wizard.partner_id.id),
                        ("company_id", "=", wizard.company_id.id),
                        ("state", "in", ("active", "expired")),
                        ("date_start", "<=", wizard.date_to),
                    ],
                    order="date_start desc",
                    limit=1,
                )
            wizard.contract_id = found

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            if wizard.date_to < wizard.date_from:
                raise UserError(
                    _(
                        "To: the period cannot end (%(end)s) before it starts "
                        "(%(start)s).",
                        end=wizard.date_to,
                        start=wizard.date_from,
                    )
                )

    # ------------------------------------------------------------------ figures

    def _utc_bounds(self):
        """The period as naive UTC datetimes, from local midnight to local midnight."""
        tz = ZoneInfo(self.env.user.tz or "Europe/Madrid")

        def to_utc(day):
            local = datetime.combine(day, time.min, tzinfo=tz)
            return local.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)

        return to_utc(self.date_from), to_utc(self.date_to + timedelta(days=1))

    def _clock_rows(self):
        """The SLA clocks received in the period (one query through the report)."""
        start, end = self._utc_bounds()
        domain = [
            ("start_date", ">=", start),
            ("start_date", "<", end),
            ("company_id", "=", self.company_id.id),
        ]
        if self.partner_id:
            domain.append(("partner_id", "=", self.partner_id.id))
        return self.env["qubiq.sla.report"].search_read(
            domain,
            [
                "kind",
                "state",
                "indicative",
                "breached_count",
                "reached_hours",
                "target_hours",
                "start_date",
                "priority",
                "team_id",
                "partner_id",
                "type_id",
                "user_id",
                "support_level",
            ],
        )

    def _group_key(self, row):
        """(sort key, group key) of the group a clock belongs to; the line turns the
        group key into a label in the reader's language."""
        by = self.group_by
        if by == "priority":
            return (-int(row["priority"] or 0), row["priority"] or "")
        if by == "level":
            return (row["support_level"] or "", row["support_level"] or "")
        if by in RECORD_GROUPS:
            value = row[RECORD_GROUPS[by][1]]
            return (value[1], str(value[0])) if value else ("~", "")
        tz = ZoneInfo(self.env.user.tz or "Europe/Madrid")
        local = row["start_date"].replace(tzinfo=ZoneInfo("UTC")).astimezone(tz).date()
        if by == "week":
            year, week, _day = local.isocalendar()
            key = f"{year}-{week:02d}"
        elif by == "month":
            key = local.strftime("%Y-%m")
        else:
            key = f"{local.year}-{(local.month - 1) // 3 + 1}"
        return (key, key)

    def _selection_labels(self, fname):
        """Translated labels of a selection the report shares with the ticket."""
        field = self.env["qubiq.sla.report"]._fields[fname]
        return dict(field._description_selection(self.env))

    def _compute_lines(self):
        """[line values] of the period: one line per (target kind, clock, group)."""
        self.ensure_one()
        groups = defaultdict(lambda: {"outcomes": [], "overdue": 0, "targets": []})
        for row in self._clock_rows():
            sort_key, label = self._group_key(row)
            key = (
                row["indicative"],
                row["kind"] != "response",
                sort_key,
                label,
                row["kind"],
            )
            group = groups[key]
            group["targets"].append(row["target_hours"])
            if row["state"] in ("met", "missed"):
                group["outcomes"].append(
                    sla_stats.Outcome(row["state"] == "met", row["reached_hours"] * 60)
                )
            elif row["breached_count"]:
                group["overdue"] += 1
        lines = []
        for key in sorted(groups):
            indicative, _order, _sort, group_key, kind = key
            group = groups[key]
            summary = sla_stats.summarize(group["outcomes"], group["overdue"])
            lines.append(
                {
                    "indicative": indicative,
                    "kind": kind,
                    "group_key": group_key,
                    "count": summary.count,
                    "met": summary.met,
                    "missed": summary.missed,
                    "overdue": summary.overdue,
                    "met_rate": summary.met_rate or 0.0,
                    "rated": summary.met_rate is not None,
                    "mean_hours": (summary.mean_minutes or 0.0) / 60,
                    "p90_hours": (summary.p90_minutes or 0.0) / 60,
                    "target_hours": sum(group["targets"]) / len(group["targets"]),
                }
            )
        return lines

    def action_compute(self):
        self.ensure_one()
        self.line_ids.unlink()
        self.write(
            {
                "line_ids": [
                    fields.Command.create(values) for values in self._compute_lines()
                ]
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": _("SLA compliance"),
            "context": {"dialog_size": "extra-large"},
        }

    def _ensure_lines(self):
        if not self.line_ids:
            self.action_compute()
        if not self.line_ids:
            raise UserError(
                _(
                    "Period: no ticket under SLA%(customer)s was received between "
                    "%(start)s and %(end)s. Widen the period or choose another "
                    "customer.",
                    start=self.date_from,
                    end=self.date_to,
                    customer=_(" for %s", self.partner_id.display_name)
                    if self.partner_id
                    else "",
                )
            )

    def action_print(self):
        self.ensure_one()
        self._ensure_lines()
        report = self.env.ref("qubiq_helpdesk_sla.action_report_sla_compliance")
        return report.report_action(self)

    def action_send(self):
        """Open the composer on the customer with the PDF attached."""
        self.ensure_one()
        if not self.partner_id:
            raise UserError(
                _("Customer: choose the customer to send the compliance summary to.")
            )
        self._ensure_lines()
        report = self.env.ref("qubiq_helpdesk_sla.action_report_sla_compliance")
        pdf, _format = report._render_qweb_pdf(report, self.ids)
        name = _(
            "SLA compliance %(customer)s %(start)s-%(end)s.pdf",
            customer=self.partner_id.name,
            start=self.date_from,
            end=self.date_to,
        )
        attachment = self.env["ir.attachment"].create(
            {
                "name": name,
                "datas": base64.b64encode(pdf),
                "res_model": "res.partner",
                "res_id": self.partner_id.id,
                "mimetype": "application/pdf",
            }
        )
        recipients = self.partner_id.child_ids.filtered("email") or self.partner_id
        return {
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_model": "res.partner",
                "default_res_ids": self.partner_id.ids,
                "default_partner_ids": recipients[:1].ids,
                "default_subject": _(
                    "Maintenance contract compliance, %(start)s - %(end)s",
                    start=self.date_from,
                    end=self.date_to,
                ),
                "default_body": _(
                    "Hello, attached is the compliance summary of your maintenance "
                    "contract for the period. Do not hesitate to ask us about it."
                ),
                "default_attachment_ids": attachment.ids,
                "default_composition_mode": "comment",
            },
        }


class QubiqSlaComplianceLine(models.TransientModel):
    _name = "qubiq.sla.compliance.line"
    _description = "SLA compliance figure"
    _order = "id"

    wizard_id = fields.Many2one(
        "qubiq.sla.compliance", required=True, ondelete="cascade"
    )
    indicative = fields.Boolean(help="Indicative targets (customers without contract).")
    kind = fields.Selection(CLOCK_KINDS, string="Clock")
    group_key = fields.Char()
    name = fields.Char(string="Group", compute="_compute_name")
    count = fields.Integer(string="Stopped")
    met = fields.Integer()
    missed = fields.Integer()
    overdue = fields.Integer(help="Still running past the deadline.")
    met_rate = fields.Float(string="Met (%)")
    rated = fields.Boolean()
    target_hours = fields.Float(string="Target (h)")
    mean_hours = fields.Float(string="Mean (h)")
    p90_hours = fields.Float(string="90th percentile (h)")

    @api.depends("group_key", "wizard_id.group_by")
    @api.depends_context("lang")
    def _compute_name(self):
        """The group's label in the reader's language (the PDF is printed in the
        customer's)."""
        report = self.env["qubiq.sla.report"]
        for line in self:
            by, key = line.wizard_id.group_by, line.group_key or ""
            if by in ("priority", "level"):
                field = report._fields[
                    "priority" if by == "priority" else "support_level"
                ]
                line.name = dict(field._description_selection(self.env)).get(key, key)
            elif by in RECORD_GROUPS:
                record = (
                    self.env[RECORD_GROUPS[by][0]].browse(int(key)) if key else None
                )
                line.name = record.sudo().display_name if record else _("None")
            elif by == "week":
                year, week = key.split("-")
                line.name = _("Week %(week)s %(year)s", week=int(week), year=year)
            elif by == "month":
                year, month = key.split("-")
                line.name = format_date(
                    self.env, date(int(year), int(month), 1), date_format="MMMM y"
                )
            else:
                year, quarter = key.split("-")
                line.name = _("Q%(quarter)s %(year)s", quarter=quarter, year=year)
