# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The account manager's warning activities (low balance, excessive dedication)."""

from odoo import fields


def warn_manager(record, xmlid, manager, summary, note):
    """Schedule the warning activity of type ``xmlid`` on ``record`` for
    ``manager``; if one of that type is still open for them (the record crossed
    its limit again, re-armed by a new pack, estimate or corrected time, before the
    first warning was done), bring that one up to date (note, today's deadline)
    instead of adding a second, identical activity."""
    kind = record.env.ref(xmlid)
    pending = record.activity_ids.filtered(
        lambda activity: (
            activity.activity_type_id == kind and activity.user_id == manager
        )
    )
    if pending:
        pending[:1].write(
            {"note": note, "date_deadline": fields.Date.context_today(record)}
        )
        return pending[:1]
    return record.activity_schedule(
        xmlid, user_id=manager.id, summary=summary, note=note
    )
