# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Helpdesk After-Sales: Coupon Share Links (Qubiq)",
    "summary": "Share a ticket's coupon as a link that applies it to the customer's "
    "eCommerce cart",
    "version": "17.0.1.0.0",
    "category": "After-Sales",
    "license": "AGPL-3",
    "author": "Qubiq",
    "website": "https://github.com/qubiq/helpdesk",
    "depends": ["qubiq_helpdesk_aftersales_coupon", "website_sale_loyalty"],
    "data": [
        "wizards/qubiq_helpdesk_coupon_wizard_views.xml",
    ],
    "auto_install": True,
    "installable": True,
}
