# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from . import estimate_engine


class HelpdeskTicket(models.Model):
    """The estimate of a new requirement (evolutivo) is a quotation: the customer
    accepts (signs) or declines it in Odoo's sale portal and the ticket follows."""

    _inherit = "helpdesk.ticket"

    estimate_order_ids = fields.One2many(
        "sale.order", "ticket_id", string="Estimates", copy=False
    )
    estimate_order_id = fields.Many2one(
        "sale.order",
        string="Current estimate",
        copy=False,
        readonly=True,
        tracking=True,
        index="btree_not_null",
    )
    estimate_order_count = fields.Integer(compute="_compute_estimate_order_count")
    estimate_amount = fields.Monetary(
        related="estimate_order_id.amount_total",
        string="Estimate amount",
        currency_field="estimate_currency_id",
    )
    estimate_currency_id = fields.Many2one(related="estimate_order_id.currency_id")
    estimate_approved_order_id = fields.Many2one(
        "sale.order", string="Accepted quotation", copy=False, readonly=True
    )
    estimate_signed_by = fields.Char(string="Signed as", copy=False, readonly=True)
    estimate_decline_reason = fields.Text(
        string="Decline reason", copy=False, readonly=True
    )
    estimate_timesheet_hours = fields.Float(
        string="Time spent on the estimate",
        compute="_compute_estimate_timesheet_hours",
        help="Time logged after the customer accepted, analysis time excluded.",
    )
    # Highest consumption warning sent (0, 80 or 100): claimed by a conditional
    # UPDATE so that two transactions never send the same one.
    estimate_warned_percent = fields.Integer(readonly=True, copy=False, default=0)

    def _compute_estimate_order_count(self):
        # sudo: agents who are not salespeople see how many estimates were sent.
        for ticket in self:
            ticket.estimate_order_count = len(ticket.sudo().estimate_order_ids)

    def _compute_estimate_timesheet_hours(self):
        # sudo: the figure is shown to agents who may not read every timesheet.
        Line = self.env["account.analytic.line"].sudo()
        groups = Line._read_group(
            [
                ("ticket_id", "in", self.ids),
                ("project_id", "!=", False),
                ("qubiq_estimate_analysis", "=", False),
            ],
            ["ticket_id"],
            ["unit_amount:sum"],
        )
        spent = {ticket.id: total for ticket, total in groups}
        for ticket in self:
            ticket.estimate_timesheet_hours = spent.get(ticket.id, 0.0)

    # ------------------------------------------------------------------ priority lock

    def write(self, vals):
        if "priority" in vals and not self.env.context.get("qubiq_estimate_approving"):
            self._estimate_check_priority(vals["priority"])
        return super().write(vals)

    def _estimate_check_priority(self, priority):
        """An accepted evolutivo keeps the low priority promised to the customer:
        only helpdesk managers change it."""
        if self.env.is_superuser() or self.env.user.has_group(
            "helpdesk_mgmt.group_helpdesk_manager"
        ):
            return
        locked = self.filtered(
            lambda t: (
                t.requires_estimate
                and t.estimate_state == "approved"
                and t.priority != priority
            )
        )
        if locked:
            raise UserError(
                _(
                    "Priority: %(ticket)s is an approved new requirement and keeps the "
                    "low priority agreed with the customer; ask a helpdesk manager to "
                    "change it.",
                    ticket=locked[0].display_name,
                )
            )

    # ------------------------------------------------------------------ actions

    def action_estimate_wizard(self):
        self.ensure_one()
        if not self.requires_estimate:
            raise UserError(
                _(
                    "Type: %(ticket)s is not a new requirement; only ticket types with "
                    "'Estimate and approval' are estimated.",
                    ticket=self.display_name,
                )
            )
        return {
            "type": "ir.actions.act_window",
            "name": _("Estimate"),
            "res_model": "qubiq.estimate.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

    def action_view_estimate_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sale.action_quotations_with_onboarding"
        )
        action.update(
            {
                "domain": [("ticket_id", "=", self.id)],
                "context": {"create": False},
            }
        )
        if len(self.estimate_order_ids) == 1:
            action.update(
                {"views": [(False, "form")], "res_id": self.estimate_order_ids.id}
            )
        return action

    # ------------------------------------------------------------------ quotation flow

    def _estimate_supersede(self, new_order):
        """Cancel the quotations this ticket had before ``new_order``: the customer
        can only accept the last one. They stay on the ticket as history."""
        self.ensure_one()
        # sudo: agents who are not salespeople replace their own estimates; only
        # this ticket's open quotations are cancelled.
        old = self.sudo().estimate_order_ids.filtered(
            lambda o: o != new_order and o.state in ("draft", "sent")
        )
        if old:
            old.with_context(
                qubiq_estimate_superseding=True, disable_cancel_warning=True
            )._action_cancel()
            self.message_post(
                body=_(
                    "Estimate %(new)s supersedes %(old)s, cancelled.",
                    new=new_order.name,
                    old=", ".join(old.mapped("name")),
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _estimate_accepted(self, order):
        """The customer accepted ``order``: record who, when and which quotation,
        move to the team's approved stage and to the low priority, locked."""
        self.ensure_one()
        # Who accepted: the logged-in customer who signed in the portal, or the
        # employee who confirmed the quotation; someone opening the e-mail link
        # without logging in is only known by the name they signed with.
        signer_id = self.env.context.get("qubiq_estimate_signer_id")
        user = self.env.user
        if signer_id:
            approver = self.env["res.partner"].browse(signer_id)
        elif not user._is_public() and not user._is_superuser():
            approver = user.partner_id
        else:
            approver = self.env["res.partner"]
        vals = {
            "estimate_state": "approved",
            "estimate_approved_by_id": approver.id,
            "estimate_approved_date": fields.Datetime.now(),
            "estimate_approved_order_id": order.id,
            "estimate_signed_by": order.signed_by,
            "priority": "0",
        }
        stage = self.team_id.estimate_approved_stage_id
        if stage and stage != self.stage_id:
            vals["stage_id"] = stage.id
        self.with_context(qubiq_estimate_approving=True).write(vals)
        self.message_post(
            body=_(
                "The customer accepted the estimate %(order)s (%(hours)s h): work can "
                "start, at low priority.",
                order=order.name,
                hours=self.estimate_hours,
            ),
            subtype_xmlid="mail.mt_note",
        )

    def _estimate_declined(self, order, reason):
        """The customer declined ``order``: the reason reaches the agent (note and
        activity) and the ticket returns to the agent or closes, per team."""
        self.ensure_one()
        self.write({"estimate_state": "rejected", "estimate_decline_reason": reason})
        self.message_post(
            body=_(
                "The customer declined the estimate %(order)s. Reason: %(reason)s",
                order=order.name,
                reason=reason or "",
            ),
            subtype_xmlid="mail.mt_note",
        )
        agent = self.user_id or self.team_id.user_id or self._qubiq_account_manager()
        if agent:
            self.activity_schedule(
                "qubiq_helpdesk_estimate_sale.mail_activity_type_estimate_declined",
                user_id=agent.id,
                note=reason,
            )
        if self.team_id.estimate_decline_action == "close":
            stage = self.team_id.estimate_decline_stage_id or self.env[
                "helpdesk.ticket.stage"
            ].search(
                [
                    ("closed", "=", True),
                    "|",
                    ("team_ids", "=", False),
                    ("team_ids", "in", self.team_id.ids),
                ],
                limit=1,
            )
            if stage:
                self.write({"stage_id": stage.id})
                self.message_post(
                    body=_(
                        "Thank you for letting us know. We have closed this request "
                        "as you declined the estimate; open a new ticket whenever you "
                        "want to take it up again."
                    ),
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                )

    # ------------------------------------------------------------------ consumption

    def _estimate_check_consumption(self):
        """Warn the agent and the account manager once at 80 % and once at 100 % of
        the accepted estimate."""
        tickets = self.filtered(
            lambda t: (
                t.requires_estimate
                and t.estimate_state == "approved"
                and t.estimate_hours > 0
            )
        )
        if not tickets:
            return
        tickets.invalidate_recordset(["estimate_timesheet_hours"])
        for ticket in tickets:
            level = estimate_engine.reached_threshold(
                ticket.estimate_timesheet_hours, ticket.estimate_hours
            )
            if level > ticket.estimate_warned_percent and ticket._estimate_claim(level):
                ticket._estimate_warn(level)

    def _estimate_claim(self, level):
        """Mark warning ``level`` as sent; True only for the transaction that marked
        it. The conditional UPDATE conflicts with a concurrent one: the second
        waits, then fails with a serialization error before it warns, and is
        retried on a fresh snapshot where the level is already claimed. An
        untracked flag nothing computes from: plain SQL."""
        self.ensure_one()
        self.flush_recordset(["estimate_warned_percent"])
        self.env.cr.execute(
            """
            UPDATE helpdesk_ticket SET estimate_warned_percent = %s
             WHERE id = %s AND COALESCE(estimate_warned_percent, 0) < %s
         RETURNING id
            """,
            [level, self.id, level],
        )
        claimed = bool(self.env.cr.fetchall())
        self.invalidate_recordset(["estimate_warned_percent"])
        return claimed

    def _estimate_warn(self, level):
        users = (self.user_id | self._qubiq_account_manager()).filtered("active")
        note = _(
            "%(spent)s h logged of the %(estimate)s h accepted (%(level)s %%).",
            spent=round(self.estimate_timesheet_hours, 2),
            estimate=self.estimate_hours,
            level=level,
        )
        for user in users:
            self.activity_schedule(
                "qubiq_helpdesk_estimate_sale.mail_activity_type_estimate_consumed",
                user_id=user.id,
                summary=_("Estimate %(level)s %% consumed", level=level),
                note=note,
            )

    @api.model
    def _estimate_reset_warnings(self, tickets):
        tickets.write({"estimate_warned_percent": 0})
