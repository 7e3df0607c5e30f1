# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The team's switch of this service is now defined by qubiq_helpdesk_aftersales."""

from odoo.addons.qubiq_helpdesk_aftersales.upgrade import hand_switch_to_base


def migrate(cr, version):
    if version:
        hand_switch_to_base(cr, "qubiq_helpdesk_aftersales_coupon")
