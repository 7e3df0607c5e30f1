# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from odoo import api, fields, models

from odoo.addons.qubiq_hours_bank.models import hours_engine

from . import review_engine as engine


class QubiqAccountReview(models.AbstractModel):
    """The figures of the account manager's review, per customer, for many customers
    at once: what the monthly summary, the early warnings and the daily review
    screen show.

    A fixed number of queries whatever the number of customers, tickets and
    timesheets: aggregates over the compliance and satisfaction reports, the tickets,
    the hours consumption, plus the banks' balances (themselves batched)."""

    _name = "qubiq.account.review"
    _description = "Account review figures"

    @api.model
    def _utc_bounds(self, month):
        """The month as naive UTC datetimes from local midnight to local midnight, in
        the same time zone as the compliance summary."""
        first, last = engine.month_bounds(month)
        tz = ZoneInfo(self.env.user.tz or "Europe/Madrid")

        def to_utc(day):
            local = datetime.combine(day, time.min, tzinfo=tz)
            return local.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)

        return to_utc(first), to_utc(last + timedelta(days=1))

    @api.model
    def _candidates(self, month, company):
        """Customers (commercial partners) of ``company`` with a maintenance contract
        or an hours pack in force at some time in ``month``: those the monthly pack
        is about. Two queries."""
        first, last = engine.month_bounds(month)
        # Contracts and packs share the fields of a period in force.
        in_force = [
            ("company_id", "=", company.id),
            ("state", "in", ("active", "expired")),
            ("date_start", "<=", last),
            "|",
            ("date_end", "=", False),
            ("date_end", ">=", first),
        ]
        contracts = self.env["qubiq.support.contract"].sudo().search(in_force)
        packs = self.env["qubiq.hours.pack"].sudo().search(in_force)
        partners = (
            contracts.partner_id | packs.bank_id.partner_id
        ).commercial_partner_id
        return contracts, packs.bank_id, partners

    @api.model
    def _figures(self, partners, month=None, today=None):
        """``{partner id: dict}`` of the review figures of these customers:
        compliance of ``month`` (met, breached, rate), bad ratings of ``month``,
        open tickets at risk, estimates waiting for the customer, hours left, the
        weekly pace and the weeks until the banks run out, packs expiring with hours
        unused. ``today`` (default: today) dates the hours and ``month`` defaults to
        its month."""
        today = today or fields.Date.context_today(self)
        month = month or engine.month_key(today)
        company = self.env.company
        partners = partners.sudo()
        ids = partners.ids
        figures = {
            partner_id: {
                "met": 0,
                "breached": 0,
                "rate": None,
                "bad_ratings": 0,
                "at_risk": 0,
                "estimates": 0,
                "banks": [],
                "remaining": 0.0,
                "pace": 0.0,
                "forecast_weeks": None,
                "expiring": [],
            }
            for partner_id in ids
        }
        if not ids:
            return figures
        start, end = self._utc_bounds(month)
        # Contract compliance of the month: contractual targets only, as the PDF.
        for partner, met, breached in (
            self.env["qubiq.sla.report"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "in", ids),
                    ("start_date", ">=", start),
                    ("start_date", "<", end),
                    ("indicative", "=", False),
                ],
                ["partner_id"],
                ["met_count:sum", "breached_count:sum"],
            )
        ):
            values = figures[partner.id]
            values.update(
                met=met, breached=breached, rate=engine.met_rate(met, breached)
            )
        for partner, unhappy in (
            self.env["qubiq.helpdesk.rating.report"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "in", ids),
                    ("date", ">=", start),
                    ("date", "<", end),
                ],
                ["partner_id"],
                ["unhappy_count:sum"],
            )
        ):
            figures[partner.id]["bad_ratings"] = unhappy
        Ticket = self.env["helpdesk.ticket"].sudo()
        for partner, count in Ticket._read_group(
            [
                ("commercial_partner_id", "in", ids),
                ("closed", "=", False),
                ("sla_at_risk", "=", True),
            ],
            ["commercial_partner_id"],
            ["__count"],
        ):
            figures[partner.id]["at_risk"] = count
        for partner, count in Ticket._read_group(
            [("commercial_partner_id", "in", ids), ("estimate_state", "=", "sent")],
            ["commercial_partner_id"],
            ["__count"],
        ):
            figures[partner.id]["estimates"] = count
        self._hours_figures(figures, partners, company, today)
        return figures

    @api.model
    def _hours_figures(self, figures, partners, company, today):
        """Hours left, pace, forecast and expiring packs of the customers' banks."""
        banks = (
            self.env["qubiq.hours.bank"]
            .sudo()
            .search([("partner_id", "in", partners.ids), ("active", "=", True)])
        )
        if not banks:
            return
        balances = banks._hours_balances(None, today)
        pace_weeks = company.qubiq_review_pace_weeks or 1
        since = today - timedelta(weeks=pace_weeks)
        weekly = defaultdict(list)
        for bank, _week, hours in (
            self.env["qubiq.hours.allocation"]
            .sudo()
            ._read_group(
                [
                    ("bank_id", "in", banks.ids),
                    ("kind", "=", "pack"),
                    ("date", ">", since),
                    ("date", "<=", today),
                ],
                ["bank_id", "date:week"],
                ["hours:sum"],
            )
        ):
            weekly[bank.id].append(hours_engine.to_seconds(hours))
        positions = banks._hours_pack_positions(today)
        expiry_days = company.qubiq_review_expiry_days
        packs = self.env["qubiq.hours.pack"].sudo()
        for bank in banks:
            values = figures[bank.partner_id.commercial_partner_id.id]
            remaining = balances[bank.id].remaining
            pace = engine.weekly_pace(weekly[bank.id], pace_weeks)
            values["banks"].append(bank.id)
            values["remaining"] += hours_engine.to_hours(remaining)
            values["pace"] += hours_engine.to_hours(pace)
            for position in positions.get(bank.id, ()):
                left = position.remaining(today)
                if engine.expiring_unused(left, position.end, today, expiry_days):
                    values["expiring"].append(
                        (packs.browse(position.key), hours_engine.to_hours(left))
                    )
        for values in figures.values():
            if values["banks"]:
                forecast = engine.runout_weeks(values["remaining"], values["pace"])
                values["forecast_weeks"] = forecast

    @api.model
    def _warnings(self, figures, month, company):
        """``{partner id: [(kind, period, values)]}`` of the early warnings these
        figures call for. ``period`` makes an event unique: the pack for an
        expiring pack, the month for the others."""
        result = defaultdict(list)
        target = company.qubiq_review_compliance_target
        runout = company.qubiq_review_runout_weeks
        for partner_id, values in figures.items():
            for pack, left in values["expiring"]:
                result[partner_id].append(
                    ("expiry", f"pack-{pack.id}", {"pack": pack, "hours": left})
                )
            if values["banks"] and engine.runs_out_within(
                values["remaining"], values["pace"], runout
            ):
                result[partner_id].append(("runout", month, values))
            if engine.below_target(values["met"], values["breached"], target):
                result[partner_id].append(("compliance", month, values))
            if engine.unhappy(values["bad_ratings"]):
                result[partner_id].append(("ratings", month, values))
        return result
