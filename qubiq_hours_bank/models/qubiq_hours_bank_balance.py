# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.osv import expression

from . import hours_engine as engine
from .warning_activity import warn_manager


class QubiqHoursBank(models.Model):
    """The figures of a bank and the status that follows them.

    What every screen shows (form, dashboard, portal, statement) comes from
    :meth:`_hours_balances`, which aggregates the stored consumption with a fixed
    number of queries and lets :mod:`hours_engine` do the arithmetic. From those
    figures, :meth:`_hours_update_status` sets the status and sends the warnings of
    the thresholds crossed (an activity for the account manager, an e-mail to the
    customer); the daily cron expires packs."""

    _inherit = "qubiq.hours.bank"

    def _hours_balances(self, date_from=None, date_to=None):
        """``{bank id: hours_engine.Balance}`` for the period ``date_from`` (None:
        the beginning) to ``date_to`` (None: today), positions on ``date_to``.

        A fixed number of queries whatever the number of banks and timesheet lines:
        one search of the packs, one of their invoices, and three read_group.
        """
        if not self:
            return {}
        date_from = fields.Date.to_date(date_from) if date_from else None
        as_of = fields.Date.to_date(date_to) if date_to else None
        as_of = as_of or fields.Date.context_today(self)
        positions = self._hours_pack_positions(as_of)
        consumption = self._hours_consumption(date_from, as_of)
        return {
            bank.id: engine.summarize(
                positions.get(bank.id, ()),
                consumption.get(bank.id, engine.Consumption()),
                as_of,
                date_from,
            )
            for bank in self
        }

    def _hours_pack_positions(self, as_of):
        """``{bank id: [PackPosition]}`` of the confirmed packs started by
        ``as_of``."""
        Pack = self.env["qubiq.hours.pack"].sudo()
        packs = Pack.search(
            [
                ("bank_id", "in", self.ids),
                ("state", "in", ("active", "expired")),
                ("date_start", "<=", as_of),
            ]
        )
        consumed = dict(
            self.env["qubiq.hours.allocation"]
            .sudo()
            ._read_group(
                [("pack_id", "in", packs.ids), ("date", "<=", as_of)],
                ["pack_id"],
                ["hours:sum"],
            )
        )
        paid = packs._hours_paid_amounts()
        result = defaultdict(list)
        for pack in packs:
            seconds = engine.to_seconds(pack.hours)
            result[pack.bank_id.id].append(
                engine.PackPosition(
                    key=pack.id,
                    seconds=seconds,
                    start=pack.date_start,
                    end=pack.date_end or None,
                    consumed=engine.to_seconds(consumed.get(pack, 0.0)),
                    paid=engine.paid_seconds(
                        seconds, pack.price_total, paid.get(pack.id, 0.0)
                    ),
                )
            )
        return result

    def _hours_consumption(self, date_from, date_to):
        """``{bank id: hours_engine.Consumption}`` of the timesheets dated in the
        period."""
        period = [("date", "<=", date_to)]
        if date_from:
            period.append(("date", ">=", date_from))
        Line = self.env["account.analytic.line"].sudo()
        totals = defaultdict(lambda: defaultdict(int))
        for bank, billable, kind, real, billed in Line._read_group(
            expression.AND([[("hours_bank_id", "in", self.ids)], period]),
            ["hours_bank_id", "hours_billable", "hours_work_kind"],
            ["unit_amount:sum", "hours_billed:sum"],
        ):
            values = totals[bank.id]
            if billable:
                values["real"] += engine.to_seconds(real)
                values["billed"] += engine.to_seconds(billed)
            else:
                values["non_billable"] += engine.to_seconds(real)
            key = "development" if kind == "development" else "incident"
            values[key] += engine.to_seconds(real)
        Allocation = self.env["qubiq.hours.allocation"].sudo()
        for bank, kind, state, hours in Allocation._read_group(
            expression.AND([[("bank_id", "in", self.ids)], period]),
            ["bank_id", "kind", "billing_state"],
            ["hours:sum"],
        ):
            values = totals[bank.id]
            seconds = engine.to_seconds(hours)
            target = {"pack": "from_packs", "overage": "overage"}.get(kind, "direct")
            values[target] += seconds
            if kind != "pack" and state in ("pending", "ordered"):
                values["not_invoiced"] += seconds
        return {
            bank_id: engine.Consumption(**values) for bank_id, values in totals.items()
        }

    def _hours_sale_orders(self):
        """``{bank id: sale orders}`` selling its packs or invoicing its extra time."""
        result = defaultdict(lambda: self.env["sale.order"])
        for bank, orders in (
            self.env["qubiq.hours.pack"]
            .sudo()
            ._read_group(
                [("bank_id", "in", self.ids), ("sale_order_id", "!=", False)],
                ["bank_id"],
                ["sale_order_id:recordset"],
            )
        ):
            result[bank.id] |= orders
        for bank, lines in (
            self.env["qubiq.hours.allocation"]
            .sudo()
            ._read_group(
                [("bank_id", "in", self.ids), ("sale_line_id", "!=", False)],
                ["bank_id"],
                ["sale_line_id:recordset"],
            )
        ):
            result[bank.id] |= lines.order_id
        return result

    # ------------------------------------------------------------------ status

    def _hours_status_read(self):
        """``({bank id: hours_engine.Balance}, {bank id: [hours_engine.Threshold]})``
        today: only what the status and the warnings read, ``remaining`` and
        ``in_force`` of the packs, ``overage`` and ``not_invoiced`` of the
        consumption (the rest is left at zero); and the banks' warning levels, in
        the model's order within a bank (kind, value descending, id).

        Run after every timesheet consumed, hence plain SQL: one statement for the
        consumption by bank, pack, kind and invoicing state and the warning
        levels, after one search of the packs in force or expired (none after a
        consumption, which passes the packs it read in the context,
        ``hours_packs_read``); instead of the six queries of
        :meth:`_hours_balances` and the four of the packs' paid amounts, which no
        status depends on."""
        if not self:
            return {}, {}
        as_of = fields.Date.context_today(self)
        bank_ids = set(self.ids)
        # (bank ids, packs): the packs in force or expired of those banks, as
        # ``(id, bank id, hours, date_start, date_end)`` (dates as strings), just
        # read by the consumption (qubiq.hours.allocation._hours_rebalance); used
        # only when they cover every bank asked for.
        read = self.env.context.get("hours_packs_read")
        if read and bank_ids <= set(read[0]):
            packs = [
                (
                    pack_id,
                    bank_id,
                    hours,
                    fields.Date.to_date(start),
                    fields.Date.to_date(end),
                )
                for pack_id, bank_id, hours, start, end in read[1]
                if bank_id in bank_ids
            ]
        else:
            packs = [
                (pack.id, pack.bank_id.id, pack.hours, pack.date_start, pack.date_end)
                for pack in self.env["qubiq.hours.pack"]
                .sudo()
                .search_fetch(
                    [
                        ("bank_id", "in", self.ids),
                        ("state", "in", ("active", "expired")),
                    ],
                    ["bank_id", "hours", "date_start", "date_end"],
                )
            ]
        packs = [pack for pack in packs if pack[3] <= as_of]
        self.env["qubiq.hours.allocation"].flush_model(
            ["date", "bank_id", "pack_id", "kind", "billing_state", "hours"]
        )
        self.env["qubiq.hours.bank.threshold"].flush_model(
            ["bank_id", "kind", "value", "notified"]
        )
        # The same groups as _hours_pack_positions (a pack's consumption, whatever
        # the bank of its rows) and _hours_consumption (a bank's rows), then the
        # levels (pack_id: the level's id, billing_state: its "notified" flag).
        self.env.cr.execute(
            """
            SELECT 'consumption', bank_id, pack_id, kind, billing_state, SUM(hours)
              FROM qubiq_hours_allocation
             WHERE date <= %(as_of)s
               AND (bank_id = ANY(%(banks)s) OR pack_id = ANY(%(packs)s))
             GROUP BY bank_id, pack_id, kind, billing_state
             UNION ALL
            SELECT 'level', bank_id, id, kind, notified::varchar, value
              FROM qubiq_hours_bank_threshold
             WHERE bank_id = ANY(%(banks)s)
            """,
            {
                "as_of": as_of,
                "banks": list(self.ids),
                "packs": [pack[0] for pack in packs],
            },
        )
        consumed = defaultdict(float)
        totals = defaultdict(lambda: defaultdict(int))
        levels = defaultdict(list)
        for row, bank_id, pack_id, kind, state, hours in self.env.cr.fetchall():
            if row == "level":
                levels[bank_id].append(
                    engine.Threshold(pack_id, kind, hours, state == "true")
                )
                continue
            if pack_id:
                consumed[pack_id] += hours
            if bank_id not in bank_ids:
                continue
            values = totals[bank_id]
            seconds = engine.to_seconds(hours)
            target = {"pack": "from_packs", "overage": "overage"}.get(kind, "direct")
            values[target] += seconds
            if kind != "pack" and state in ("pending", "ordered"):
                values["not_invoiced"] += seconds
        for thresholds in levels.values():
            thresholds.sort(key=lambda t: (t.kind, -t.value, t.key))
        positions = defaultdict(list)
        for pack_id, bank_id, hours, start, end in packs:
            seconds = engine.to_seconds(hours)
            positions[bank_id].append(
                engine.PackPosition(
                    key=pack_id,
                    seconds=seconds,
                    start=start,
                    end=end or None,
                    consumed=engine.to_seconds(consumed.get(pack_id, 0.0)),
                    paid=seconds,
                )
            )
        balances = {
            bank.id: engine.summarize(
                positions.get(bank.id, ()),
                engine.Consumption(**totals.get(bank.id, {})),
                as_of,
            )
            for bank in self
        }
        return balances, levels

    def _hours_update_status(self):
        """Status, threshold warnings (once per crossing) of these banks, today."""
        banks = self.sudo().filtered("active")
        if not banks:
            return
        balances, levels = banks._hours_status_read()
        Threshold = self.env["qubiq.hours.bank.threshold"].sudo()
        changed_state = defaultdict(lambda: self.env["qubiq.hours.bank"].sudo())
        for bank in banks:
            balance = balances[bank.id]
            thresholds = levels.get(bank.id, [])
            to_notify, to_reset = engine.threshold_changes(
                thresholds, balance.remaining, balance.in_force
            )
            if to_reset:
                Threshold.browse(to_reset).write(
                    {"notified": False, "notified_date": False}
                )
            # Only the transaction that marks a level warns (a conflicting write,
            # see _hours_claim): with several workers, twins fail and are retried.
            reached = Threshold.browse(to_notify)._hours_claim()
            if reached:
                bank._hours_warn_low(balance, reached)
            # Every level to notify is marked now, by this transaction or by
            # another one that got there first.
            notified = bool(to_notify) or any(
                t.notified and t.key not in to_reset for t in thresholds
            )
            state = bank._hours_state(balance, notified)
            if bank.balance_state != state:
                changed_state[state] |= bank
        # balance_state is tracked: one ORM write per new state.
        for state, changed in changed_state.items():
            changed.write({"balance_state": state})

    def _hours_state(self, balance, notified):
        """``notified``: whether a warning level of the bank is marked as sent."""
        if balance.not_invoiced and balance.overage:
            return "overage"
        if not balance.in_force:
            return "none"
        if not balance.remaining:
            return "exhausted"
        if notified:
            return "low"
        return "ok"

    def _hours_warn_low(self, balance, thresholds):
        """An activity for the account manager and an e-mail to the customer."""
        self.ensure_one()
        remaining = engine.format_duration(balance.remaining)
        in_force = engine.format_duration(balance.in_force)
        limits = ", ".join(thresholds.mapped("display_name"))
        manager = self.account_manager_id
        note = _(
            "%(customer)s has %(remaining)s h left of %(in_force)s h in force "
            "(warning: %(limits)s). Offer a new pack before it runs out.",
            customer=self.partner_id.display_name,
            remaining=remaining,
            in_force=in_force,
            limits=limits,
        )
        if manager:
            warn_manager(
                self,
                "qubiq_hours_bank.mail_activity_type_hours_low",
                manager,
                _("Hours bank running low"),
                note,
            )
        else:
            self.message_post(body=note)
        recipients = self._hours_notify_partners()
        template = self.env.ref(
            "qubiq_hours_bank.mail_template_hours_bank_low", raise_if_not_found=False
        )
        if template and recipients:
            self.with_context(
                hours_remaining=remaining, hours_in_force=in_force
            ).message_post_with_source(
                template,
                subtype_xmlid="mail.mt_comment",
                message_type="comment",
                partner_ids=recipients.ids,
            )

    def _hours_notify_partners(self):
        self.ensure_one()
        partners = self.notify_partner_ids or self.partner_id
        return partners.filtered("email")

    def _hours_excess_limit_seconds(self, ticket):
        """Seconds a ticket may take before "dedicación excesiva" (None: no limit)."""
        absolute = self.excess_hours if self else 0.0
        absolute = absolute or ticket.company_id.qubiq_hours_excess_hours
        # The estimate (stored on the ticket) first: most tickets have none, and
        # then the type's flag (another record to read) is not needed.
        estimate = ticket.estimate_hours
        if estimate and not ticket.requires_estimate:
            estimate = 0.0
        return engine.excess_limit(
            engine.to_seconds(estimate), engine.to_seconds(absolute)
        )

    @api.model
    def _cron_check_expiry(self):
        """Daily: consume again the banks whose consumption changed since the last
        run (the safety net of the pass after commit, see
        ``qubiq.hours.allocation._hours_recheck_recent``), mark the packs whose
        validity ended as expired (telling the account manager about unused
        hours), then refresh the banks' status and warnings."""
        cron = self.env.ref(
            "qubiq_hours_bank.ir_cron_qubiq_hours_bank_expiry", raise_if_not_found=False
        )
        # Since the previous run, and at least the last day (a run started by hand,
        # or the first one); an hour's margin for a run that overlapped commits.
        since = fields.Datetime.now() - timedelta(days=1)
        if cron and cron.sudo().lastcall:
            since = min(since, cron.sudo().lastcall)
        rechecked = self.env["qubiq.hours.allocation"]._hours_recheck_recent(
            since - timedelta(hours=1)
        )
        today = fields.Date.context_today(self)
        packs = self.env["qubiq.hours.pack"].search(
            [("state", "=", "active"), ("date_end", "<", today)]
        )
        packs._hours_expire()
        banks = self.search([("balance_state", "!=", "none")]) | packs.bank_id
        (banks | rechecked)._hours_update_status()
        return True
