# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Helpdesk Account Review (Qubiq)",
    "summary": "Monthly compliance and hours pack per customer, early warnings, "
    "renewal quotations, the customer's contract view and the daily review",
    "version": "17.0.1.0.0",
    "category": "After-Sales",
    "license": "AGPL-3",
    "author": "Qubiq",
    "website": "https://github.com/qubiq/helpdesk",
    "depends": [
        "qubiq_helpdesk_sla",
        "qubiq_hours_bank",
        "qubiq_helpdesk_portal",
    ],
    "data": [
        "security/qubiq_helpdesk_account_review_security.xml",
        "security/ir.model.access.csv",
        "data/qubiq_helpdesk_account_review_data.xml",
        "report/qubiq_account_review_summary.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/qubiq_account_review_log_views.xml",
        "views/qubiq_account_review_request_views.xml",
        "views/qubiq_account_review_line_views.xml",
        "views/qubiq_helpdesk_account_review_menus.xml",
        "views/portal_compliance_templates.xml",
    ],
    "demo": ["demo/qubiq_helpdesk_account_review_demo.xml"],
    "installable": True,
    "development_status": "Beta",
}
