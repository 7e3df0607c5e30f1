# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Helpdesk Evolutivo Estimates as Quotations (Qubiq)",
    "summary": "Estimate new requirements (evolutivos) as a quotation the customer "
    "accepts or declines in the portal; work and timesheets follow the approval",
    "version": "17.0.1.0.0",
    "category": "After-Sales",
    "license": "AGPL-3",
    "author": "Qubiq",
    "website": "https://github.com/qubiq/helpdesk",
    "depends": [
        "qubiq_helpdesk_sla",
        "qubiq_hours_bank",
        "qubiq_helpdesk_portal",
        "sale_management",
    ],
    "data": [
        "security/ir.model.access.csv",
        "data/qubiq_helpdesk_estimate_sale_data.xml",
        "views/helpdesk_ticket_views.xml",
        "views/helpdesk_ticket_team_views.xml",
        "views/sale_order_views.xml",
        "views/res_config_settings_views.xml",
        "views/helpdesk_ticket_portal_templates.xml",
        "wizards/qubiq_estimate_wizard_views.xml",
    ],
    "demo": ["demo/qubiq_helpdesk_estimate_sale_demo.xml"],
    "assets": {
        "web.assets_backend": [
            "qubiq_helpdesk_estimate_sale/static/src/dashboard/hours_dashboard.xml",
        ],
        "web.assets_tests": [
            "qubiq_helpdesk_estimate_sale/static/tests/tours/*.esm.js",
        ],
    },
    "installable": True,
    "development_status": "Beta",
}
