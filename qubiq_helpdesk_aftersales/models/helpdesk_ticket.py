# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup, escape

from odoo import _, models
from odoo.exceptions import UserError


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    def _aftersales_check_enabled(self, switch_field):
        """Refuse an after-sales action that the ticket's team does not enable.

        ``switch_field`` is one of the team's after-sales switches
        (``use_aftersales_refund``...), defined by this module for every
        capability add-on. Buttons are hidden on the form too; this is the
        server-side guard.
        """
        for ticket in self:
            team = ticket.team_id
            if not team or not team[switch_field]:
                label = team._fields[switch_field].get_description(self.env)["string"]
                raise UserError(
                    _(
                        "The after-sales option '%(option)s' is not enabled on the "
                        "team of ticket %(ticket)s.",
                        option=label,
                        ticket=ticket.number,
                    )
                )

    def _aftersales_counts(self, model_name, domain=()):
        """{ticket: number of ``model_name`` records linked to it} in one grouped query,
        for the smart buttons. ``domain`` narrows the records counted.

        Counted with the user's rights, as the smart button opens them: nothing
        (every count 0) for a user without read access to ``model_name``, such as
        a "Personal tickets" agent and repair orders. The smart buttons of those
        users are hidden by ``groups``; the count must still not fail when another
        view or an RPC reads it."""
        if not self.env[model_name].check_access_rights("read", raise_exception=False):
            return {}
        return dict(
            self.env[model_name]._read_group(
                [("helpdesk_ticket_id", "in", self.ids), *domain],
                ["helpdesk_ticket_id"],
                ["__count"],
            )
        )

    def _aftersales_customer_domain(self, field="partner_id"):
        """Domain on ``field`` matching the ticket's customer and its contacts.

        Here, not in the sales links add-on: the refund add-on needs it without
        Sales or Inventory."""
        self.ensure_one()
        partner = self.commercial_partner_id or self.partner_id
        return [(field, "child_of", partner.id)]

    def _aftersales_check_partner(self):
        for ticket in self:
            if not ticket.partner_id:
                raise UserError(
                    _("Set the customer of ticket %s first.", ticket.number)
                )

    def _aftersales_log(self, records, message, label=None, author=None):
        """Post a chatter note on the ticket linking the records it created.

        ``label(record)`` gives each link's text (default: the display name);
        ``author`` (a partner) when the note is posted for someone else than
        the current user, as a customer signing in the portal.
        """
        self.ensure_one()
        label = label or (lambda record: record.display_name)
        links = Markup(", ").join(
            Markup('<a href="#" data-oe-model="%s" data-oe-id="%s">%s</a>')
            % (record._name, record.id, escape(label(record)))
            for record in records
        )
        self.message_post(
            body=Markup("%s: %s") % (message, links),
            subtype_xmlid="mail.mt_note",
            author_id=author.id if author else None,
            # a customer without e-mail address still signs their note
            email_from=(author.email_formatted or author.display_name)
            if author
            else None,
        )

    def _aftersales_action_open(self, records, name):
        """Window action opening ``records`` (form when there is only one)."""
        action = {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": records._name,
            "domain": [("id", "in", records.ids)],
            "view_mode": "tree,form",
            "context": {"create": False},
        }
        if len(records) == 1:
            action.update(view_mode="form", res_id=records.id)
        return action
