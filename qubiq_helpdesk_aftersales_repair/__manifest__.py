# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Helpdesk After-Sales: Repairs (Qubiq)",
    "summary": "Create repair orders from a helpdesk ticket and read them from it",
    "version": "17.0.1.1.0",
    "category": "After-Sales",
    "license": "AGPL-3",
    "author": "Qubiq",
    "website": "https://github.com/qubiq/helpdesk",
    "depends": ["qubiq_helpdesk_aftersales_sale", "repair"],
    "data": [
        "security/ir.model.access.csv",
        "security/repair_order_security.xml",
        "views/helpdesk_ticket_views.xml",
        "views/repair_order_views.xml",
        "views/product_template_views.xml",
        "views/res_config_settings_views.xml",
    ],
    "demo": ["demo/qubiq_helpdesk_aftersales_repair_demo.xml"],
    "installable": True,
}
