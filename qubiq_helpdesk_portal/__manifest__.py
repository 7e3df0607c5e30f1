# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Helpdesk Customer Portal (Qubiq)",
    "summary": "Company-wide ticket visibility, a coaching ticket form and "
    "satisfaction follow-up "
    "in the customer portal",
    "version": "17.0.1.1.4",
    "category": "After-Sales",
    "license": "AGPL-3",
    "author": "Qubiq",
    "website": "https://github.com/qubiq/helpdesk",
    "depends": [
        "qubiq_helpdesk_sla",
        "helpdesk_mgmt_rating",
        "portal",
    ],
    "data": [
        "security/qubiq_helpdesk_portal_security.xml",
        "security/ir.model.access.csv",
        "data/qubiq_helpdesk_portal_data.xml",
        "views/qubiq_satisfaction_followup_views.xml",
        "views/qubiq_helpdesk_rating_report_views.xml",
        "views/helpdesk_ticket_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/helpdesk_ticket_portal_templates.xml",
        "views/portal_create_ticket_templates.xml",
        "views/portal_account_manager_templates.xml",
    ],
    "demo": ["demo/qubiq_helpdesk_portal_demo.xml"],
    "assets": {
        "web.assets_frontend": [
            "qubiq_helpdesk_portal/static/src/js/ticket_quality.esm.js",
            "qubiq_helpdesk_portal/static/src/js/ticket_form.esm.js",
            "qubiq_helpdesk_portal/static/src/scss/portal.scss",
        ],
        "web.assets_tests": [
            "qubiq_helpdesk_portal/static/tests/tours/*.esm.js",
        ],
    },
    "uninstall_hook": "uninstall_hook",
    "installable": True,
    "development_status": "Beta",
}
