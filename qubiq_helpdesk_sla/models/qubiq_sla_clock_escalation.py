# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.tools.misc import format_datetime

from .bulk_write import bulk_write

# Escalating to a threshold takes the ticket at least to this support level.
ESCALATION_LEVEL = {"at_risk": "2", "breached": "3"}
CRON_BATCH = 2000


class QubiqSlaClock(models.Model):
    """Escalation of the running clocks: the at-risk share of the target or the
    deadline crossed, once per clock and threshold."""

    _inherit = "qubiq.sla.clock"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _cron_escalate(self, batch_size=CRON_BATCH, now=None):
        """Escalate the running clocks that crossed the at-risk share of their target
        or their deadline since the last run: once per clock and threshold.

        Reads stored instants only (``risk_date``, ``deadline``, written with the
        deadlines by the SLA engine): no working time is recomputed here. Each batch
        costs a constant number of queries. ``now`` defaults to the current time."""
        now = now or fields.Datetime.now()
        self.flush_model(["state", "escalation", "risk_date", "deadline"])
        total = 0
        while True:
            self.env.cr.execute(
                """
                SELECT id, ticket_id, kind, deadline, risk_date
                  FROM qubiq_sla_clock
                 WHERE state = 'running' AND escalation = 'none'
                   AND risk_date <= %(now)s
                 UNION
                SELECT id, ticket_id, kind, deadline, risk_date
                  FROM qubiq_sla_clock
                 WHERE state = 'running' AND escalation != 'breached'
                   AND deadline <= %(now)s
                 ORDER BY id
                 LIMIT %(limit)s
                """,
                {"now": now, "limit": batch_size},
            )
            rows = self.env.cr.fetchall()
            if not rows:
                break
            self._escalate_batch(rows, now)
            total += len(rows)
        return total

    @api.model
    def _escalate_batch(self, rows, now):
        """Escalate one batch of clocks: ``rows`` are (id, ticket_id, kind, deadline,
        risk_date) tuples read by the cron."""
        Ticket = self.env["helpdesk.ticket"]
        clock_rows, by_ticket = {}, defaultdict(dict)
        for clock_id, ticket_id, kind, deadline, _risk in rows:
            threshold = "breached" if deadline and deadline <= now else "at_risk"
            clock_rows[clock_id] = {"escalation": threshold, "escalation_date": now}
            by_ticket[ticket_id][kind] = (threshold, deadline)
        # Untracked technical columns of the clocks: one statement for the batch.
        bulk_write(self, clock_rows)
        self.env["helpdesk.ticket"].flush_model(
            ["support_level", "company_id", "team_id", "user_id"]
        )
        self.env["helpdesk.ticket.team"].flush_model(["user_id"])
        self.env["res.company"].flush_model(
            ["qubiq_support_manager_id", "qubiq_sla_unassign_on_breach"]
        )
        self.env.cr.execute(
            """
            SELECT t.id, t.support_level, t.company_id, team.user_id,
                   company.qubiq_support_manager_id, t.user_id,
                   company.qubiq_sla_unassign_on_breach, agent.partner_id
              FROM helpdesk_ticket t
              LEFT JOIN res_users agent ON agent.id = t.user_id
              LEFT JOIN helpdesk_ticket_team team ON team.id = t.team_id
              JOIN res_company company ON company.id = t.company_id
             WHERE t.id = ANY(%s)
            """,
            [list(by_ticket)],
        )
        tickets = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        names = {
            ticket.id: ticket.display_name for ticket in Ticket.browse(list(by_ticket))
        }
        raised, activities, notes, trackings = defaultdict(list), [], {}, {}
        unassign, agents = [], {}
        breached_for = defaultdict(list)
        activity_type = self.env.ref(
            "qubiq_helpdesk_sla.mail_activity_type_sla_escalation"
        )
        model_id = self.env["ir.model"]._get_id("helpdesk.ticket")
        today = fields.Date.context_today(self, now)
        tz = self._tz()
        # Every text of the notes, translated once for the batch.
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        levels = dict(Ticket._fields["support_level"]._description_selection(self.env))
        texts = {
            "breached": (_("SLA breached: act now"), _("breached")),
            "at_risk": (_("SLA at risk: act before the deadline"), _("at risk")),
        }
        due, level_text = _("due"), _("Support level:")
        unassigned_text = _(
            "Unassigned so that the queue offers it to whoever is free."
        )
        for ticket_id, crossed in by_ticket.items():
            (
                level,
                _company,
                leader_id,
                manager_id,
                agent_id,
                unassign_on_breach,
                agent_partner_id,
            ) = tickets[ticket_id]
            breached = any(t == "breached" for t, _d in crossed.values())
            worst = "breached" if breached else "at_risk"
            new_level = max(level or "1", ESCALATION_LEVEL[worst])
            if new_level != level:
                raised[new_level].append(ticket_id)
                trackings[ticket_id] = (level, new_level)
            if breached:
                responsible = manager_id or leader_id
                if manager_id:
                    breached_for[manager_id].append(ticket_id)
            else:
                responsible = leader_id or manager_id
            summary = texts[worst][0]
            lines = Markup("").join(
                Markup("<li><b>%s</b>: %s, %s %s</li>")
                % (
                    kinds[kind],
                    texts[threshold][1],
                    due,
                    format_datetime(self.env, deadline, tz=tz) if deadline else "-",
                )
                for kind, (threshold, deadline) in sorted(crossed.items())
            )
            notes[ticket_id] = Markup("<p><b>%s</b> %s %s</p><ul>%s</ul>") % (
                summary,
                level_text,
                levels[new_level],
                lines,
            )
            # The leader (or, at breach, the support manager) acts; the agent who
            # has the ticket finds the note in their inbox; at breach the ticket
            # may go back to the queue (company setting).
            if agent_partner_id and agent_id != responsible:
                agents[ticket_id] = agent_partner_id
            if breached and unassign_on_breach and agent_id:
                unassign.append(ticket_id)
                notes[ticket_id] += Markup("<p>%s</p>") % unassigned_text
            if responsible:
                activities.append(
                    {
                        "res_model_id": model_id,
                        "res_id": ticket_id,
                        # Given here, read for the whole batch at once: mail.activity
                        # would otherwise read each ticket's name and update each
                        # activity on its own.
                        "res_name": names[ticket_id],
                        "activity_type_id": activity_type.id,
                        "summary": summary,
                        "user_id": responsible,
                        "date_deadline": today,
                    }
                )
        # The support level is a tracked field other modules may react to: written
        # through the ORM, one write per level reached. Its tracking goes on the
        # escalation note below (one insert for the batch) instead of one tracking
        # message per ticket.
        for new_level, ticket_ids in raised.items():
            Ticket.browse(ticket_ids).with_context(mail_notrack=True).write(
                {"support_level": new_level}
            )
        if unassign:
            # Through the ORM like any reassignment; the note says why.
            Ticket.browse(unassign).with_context(mail_notrack=True).write(
                {"user_id": False}
            )
        self._write_back(Ticket.browse(list(by_ticket)))
        # One note per ticket in a single insert; the activities and the digest below
        # are what notifies people.
        messages = Ticket.browse(list(notes))._message_log_batch(
            bodies=notes, author_id=self.env.ref("base.partner_root").id
        )
        self._track_levels(messages, trackings)
        # sudo: inbox notifications of the system's note, for the ticket's agent.
        self.env["mail.notification"].sudo().create(
            [
                {
                    "mail_message_id": message.id,
                    "res_partner_id": agents[message.res_id],
                    "notification_type": "inbox",
                }
                for message in messages
                if message.res_id in agents
            ]
        )
        # sudo: the cron may run as a user who cannot assign activities to others; the
        # activity types and recipients come from the configuration read above.
        self.env["mail.activity"].sudo().with_context(
            mail_activity_quick_update=True
        ).create(activities)
        self._notify_breaches(breached_for)

    @api.model
    def _notify_breaches(self, breached_for):
        """One message per support manager listing the tickets that breached now."""
        users = self.env["res.users"].browse(list(breached_for)).sudo()
        for user in users:
            tickets = self.env["helpdesk.ticket"].browse(breached_for[user.id])
            items = Markup("").join(
                Markup('<li><a href="/web#model=helpdesk.ticket&amp;id=%s">%s</a></li>')
                % (ticket.id, ticket.display_name)
                for ticket in tickets.sudo()
            )
            self.env["mail.thread"].sudo().message_notify(
                partner_ids=user.partner_id.ids,
                subject=_("%(count)s tickets breached their SLA", count=len(tickets)),
                body=Markup("<p>%s</p><ul>%s</ul>")
                % (_("These tickets have breached their SLA deadline:"), items),
            )

    @api.model
    def _track_levels(self, messages, trackings):
        """Attach the support level's change (``{ticket id: (old, new)}``) to each
        ticket's escalation note, as mail tracking shows it in the chatter."""
        if not trackings:
            return
        Ticket = self.env["helpdesk.ticket"]
        info = Ticket.fields_get(["support_level"], ["string", "type", "selection"])[
            "support_level"
        ]
        Tracking = self.env["mail.tracking.value"]
        rows = []
        for message in messages:
            if message.res_id not in trackings:
                continue
            old, new = trackings[message.res_id]
            values = Tracking._create_tracking_values(
                old, new, "support_level", info, Ticket.browse(message.res_id)
            )
            rows.append(
                (
                    values["field_id"],
                    values["old_value_char"],
                    values["new_value_char"],
                    message.id,
                    self.env.uid,
                )
            )
        if not rows:
            return
        # Tracking values are technical rows nobody tracks or overrides: one INSERT
        # for the batch, where the ORM would insert them 100 at a time. Every value
        # goes through mogrify.
        values_sql = ", ".join(
            self.env.cr.mogrify(
                "(%s, %s, %s, %s, %s, NOW() AT TIME ZONE 'UTC', %s, "
                "NOW() AT TIME ZONE 'UTC')",
                row + (row[-1],),
            ).decode()
            for row in rows
        )
        self.env.cr.execute(  # pylint: disable=sql-injection
            "INSERT INTO mail_tracking_value (field_id, old_value_char, "
            "new_value_char, mail_message_id, create_uid, create_date, write_uid, "
            f"write_date) VALUES {values_sql}"
        )
        messages.invalidate_recordset(["tracking_value_ids"])
