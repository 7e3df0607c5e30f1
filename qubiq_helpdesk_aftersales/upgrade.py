# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Called by the pre-migration of each capability add-on (see their migrations/)."""

from .models.helpdesk_ticket_team import AFTERSALES_SWITCH_MODULES

BASE = "qubiq_helpdesk_aftersales"


def hand_switch_to_base(cr, module):
    """Give ``module``'s after-sales switch to this add-on before ``module``'s update
    ends.

    Until 17.0.1.1.0 of this add-on, each capability add-on defined its team
    switch (``use_aftersales_refund``...). It no longer does, so the end of its
    update would delete the field as removed, and Odoo would drop the column with
    the teams' values, although this add-on defines the field now. The field's
    external id changes hands instead: renamed to this add-on when this add-on
    was not updated in the same run (``-u`` of the capability add-on alone),
    dropped when this add-on's update already created its own."""
    for field, owner in AFTERSALES_SWITCH_MODULES.items():
        if owner != module:
            continue
        name = f"field_helpdesk_ticket_team__{field}"
        cr.execute(
            "SELECT 1 FROM ir_model_data WHERE module = %s AND name = %s",
            (BASE, name),
        )
        if cr.fetchone():
            cr.execute(
                "DELETE FROM ir_model_data WHERE module = %s AND name = %s",
                (module, name),
            )
        else:
            cr.execute(
                "UPDATE ir_model_data SET module = %s WHERE module = %s AND name = %s",
                (BASE, module, name),
            )
