# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Helpdesk After-Sales: Coupons (Qubiq)",
    "summary": "Generate single-use coupons for the customer of a helpdesk ticket",
    "version": "17.0.1.0.1",
    "category": "After-Sales",
    "license": "AGPL-3",
    "author": "Qubiq",
    "website": "https://github.com/qubiq/helpdesk",
    "depends": ["qubiq_helpdesk_aftersales", "sale_loyalty"],
    "data": [
        "security/ir.model.access.csv",
        "views/helpdesk_ticket_views.xml",
        "wizards/qubiq_helpdesk_coupon_wizard_views.xml",
    ],
    "demo": ["demo/qubiq_helpdesk_aftersales_coupon_demo.xml"],
    "installable": True,
}
