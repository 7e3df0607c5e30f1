# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, models


class QubiqHoursAllocation(models.Model):
    """Who pays for a timesheet line: its customer's bank, whether it consumes it,
    why (the reason the timesheet shows) and the kind of work, decided from its
    ticket (type, marks, the customer's contract in force that day) or its task
    (project)."""

    _inherit = "qubiq.hours.allocation"

    @api.model
    def _hours_classify(self, lines):
        """Bank, billable flag, reason and kind of each line, from its ticket (type,
        marks, the customer's contract on the line's date) or task (project)."""
        lines -= self._hours_frozen(lines)
        if not lines:
            return
        contracts = (
            self.env["qubiq.support.contract"]
            .sudo()
            ._find_active(
                {
                    (
                        line.ticket_id.partner_id.commercial_partner_id.id,
                        line.company_id.id,
                        line.date,
                    )
                    for line in lines
                    if line.ticket_id.partner_id
                },
                states=("active", "expired"),
            )
        )
        decisions = {line.id: self._hours_decide(line, contracts) for line in lines}
        pairs, billable_pairs = set(), set()
        for line in lines:
            partner, billable = decisions[line.id][:2]
            if partner:
                pairs.add((partner.id, line.company_id.id))
                if billable:
                    billable_pairs.add((partner.id, line.company_id.id))
        # Billable time creates the customer's bank (or goes to its archived one).
        banks = self.env["qubiq.hours.bank"]._hours_find(pairs, create=billable_pairs)
        updates = defaultdict(list)
        for line in lines:
            partner, billable, reason, kind = decisions[line.id]
            bank = banks.get((partner.id, line.company_id.id)) if partner else None
            values = {
                "hours_bank_id": bank.id if bank else False,
                "hours_billable": bool(bank and billable),
                "hours_billing_reason": reason or False,
                "hours_work_kind": kind or False,
            }
            if not bank:
                values["hours_billed"] = 0.0
            current = {
                "hours_bank_id": line.hours_bank_id.id,
                "hours_billable": line.hours_billable,
                "hours_billing_reason": line.hours_billing_reason,
                "hours_work_kind": line.hours_work_kind,
                "hours_billed": line.hours_billed,
            }
            changed = {k: v for k, v in values.items() if current[k] != v}
            if changed:
                updates[tuple(sorted(changed.items()))].append(line.id)
        for items, ids in updates.items():
            lines.browse(ids).with_context(hours_bank_sync=True).write(dict(items))
        # Lines leaving every bank lose their consumption.
        lines.filtered(
            lambda line: not line.hours_bank_id
        ).hours_allocation_ids.unlink()

    @api.model
    def _hours_decide(self, line, contracts):
        """``(customer, billable, reason, kind)`` of one line: its ticket decides
        (:meth:`_hours_decide_ticket`), else its project, when it consumes the
        customer's bank (development)."""
        if line.ticket_id:
            partner, billable, reason, kind = self._hours_decide_ticket(
                line.ticket_id, line.date, line.company_id, contracts
            )
            if partner and billable and line.unit_amount <= 0:
                return partner, False, "no_time", kind
            return partner, billable, reason, kind
        project = line.project_id
        if not project.hours_bank_consume:
            return self.env["res.partner"], False, False, False
        partner = (line.task_id.partner_id or project.partner_id).commercial_partner_id
        if not partner:
            return partner, False, False, "development"
        if line.unit_amount <= 0:
            return partner, False, "no_time", "development"
        return partner, True, "task", "development"

    @api.model
    def _hours_decide_ticket(self, ticket, day, company, contracts):
        """``(customer, billable, reason, kind)`` of time spent on ``ticket`` on
        ``day``: the provider's own error is never billed, a repeated request
        always is, then the type decides (evolutivo: always), then the customer's
        maintenance contract in force that day (none: billed). ``contracts``: the
        answer of ``qubiq.support.contract._find_active`` for ``(customer, company,
        day)``."""
        partner = ticket.partner_id.commercial_partner_id
        ticket_type = ticket.type_id
        kind = ticket_type.hours_work_kind or "incident"
        if not partner:
            return partner, False, False, kind
        if ticket.hours_provider_error:
            return partner, False, "provider_error", kind
        if ticket.hours_repeated:
            return partner, True, "repeated", kind
        policy = ticket_type.hours_bank_policy or "contract"
        if policy == "always":
            return partner, True, "type_always", kind
        if policy == "never":
            return partner, False, "type_never", kind
        contract = contracts.get((partner.id, company.id, day))
        if not contract:
            return partner, True, "no_contract", kind
        if ticket_type in contract.hours_bank_type_ids:
            return partner, True, "contract_type", kind
        return partner, False, "contract", kind
