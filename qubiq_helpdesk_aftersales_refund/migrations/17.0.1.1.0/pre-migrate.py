# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""17.0.1.1.0: the refund add-on no longer depends on the sales links add-on.

The wizard's sales order and lot filters move to the bridge
``qubiq_helpdesk_aftersales_refund_sale``. Their fields change module: hand their
``ir.model.data`` over to the bridge before this update ends, else the end of the
update deletes them as removed from this add-on, and Odoo drops their columns.
Then install the bridge in the same run: a database that had the refund add-on
had the sales links add-on too, and ``-u`` does not install auto-install add-ons.
"""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)

BRIDGE = "qubiq_helpdesk_aftersales_refund_sale"
MOVED_FIELDS = (
    "field_account_move_reversal__helpdesk_available_order_ids",
    "field_account_move_reversal__helpdesk_lot_id",
    "field_account_move_reversal__helpdesk_sale_order_id",
    "field_account_move_reversal__helpdesk_tracking",
)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    bridge = env["ir.module.module"].search([("name", "=", BRIDGE)])
    sale_links = env["ir.module.module"].search(
        [
            ("name", "=", "qubiq_helpdesk_aftersales_sale"),
            ("state", "in", ("installed", "to upgrade")),
        ]
    )
    if not bridge or not sale_links:
        _logger.warning(
            "%s not available or sales links not installed: the wizard's sales "
            "order and lot filters are removed",
            BRIDGE,
        )
        return
    cr.execute(
        """
        UPDATE ir_model_data
           SET module = %s
         WHERE module = 'qubiq_helpdesk_aftersales_refund'
           AND name IN %s
        """,
        (BRIDGE, MOVED_FIELDS),
    )
    if bridge.state == "uninstalled":
        bridge.button_install()
