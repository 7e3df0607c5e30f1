# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Support Hours Bank (Qubiq)",
    "summary": "Prepaid support-hour packs consumed by ticket and task timesheets, "
    "billed in blocks, with balances, warnings, dashboard and portal",
    "version": "17.0.1.3.0",
    "category": "After-Sales",
    "license": "AGPL-3",
    "author": "Qubiq",
    "website": "https://github.com/qubiq/helpdesk",
    "depends": [
        "qubiq_helpdesk_sla",
        "helpdesk_mgmt_timesheet",
        "sale_timesheet",
        "portal",
    ],
    "data": [
        "security/qubiq_hours_bank_security.xml",
        "security/ir.model.access.csv",
        "data/qubiq_hours_bank_data.xml",
        "views/qubiq_hours_bank_views.xml",
        "views/qubiq_hours_pack_views.xml",
        "views/account_analytic_line_views.xml",
        "views/helpdesk_ticket_views.xml",
        "views/qubiq_support_contract_views.xml",
        "views/project_project_views.xml",
        "views/product_template_views.xml",
        "views/sale_order_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/qubiq_hours_bank_templates.xml",
        "report/qubiq_hours_bank_report_views.xml",
        "report/qubiq_hours_bank_statement.xml",
        "wizards/qubiq_hours_wizard_views.xml",
        "views/qubiq_hours_bank_menus.xml",
    ],
    "demo": ["demo/qubiq_hours_bank_demo.xml"],
    "assets": {
        "web.assets_backend": [
            "qubiq_hours_bank/static/src/dashboard/*",
        ],
        "web.assets_tests": [
            "qubiq_hours_bank/static/tests/tours/*.esm.js",
        ],
    },
    "installable": True,
    "development_status": "Beta",
}
