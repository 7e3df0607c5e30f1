# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Helpdesk SLA (Qubiq)",
    "summary": "Ticket types, 0-3 star priorities, maintenance contracts and "
    "working-hours SLA clocks that pause while waiting for the customer",
    "version": "17.0.1.0.0",
    "category": "After-Sales",
    "license": "AGPL-3",
    "author": "Qubiq",
    "website": "https://github.com/qubiq/helpdesk",
    "depends": [
        "helpdesk_mgmt",
        "helpdesk_type",
        "helpdesk_ticket_partner_response",
        "resource",
    ],
    "data": [
        "security/qubiq_helpdesk_sla_security.xml",
        "security/ir.model.access.csv",
        "data/qubiq_helpdesk_sla_data.xml",
        "views/qubiq_sla_policy_views.xml",
        "views/qubiq_support_contract_views.xml",
        "views/helpdesk_ticket_type_views.xml",
        "views/helpdesk_ticket_stage_views.xml",
        "views/helpdesk_ticket_team_views.xml",
        "views/helpdesk_ticket_channel_views.xml",
        "views/res_partner_views.xml",
        "views/helpdesk_ticket_views.xml",
        "views/res_config_settings_views.xml",
        "views/qubiq_helpdesk_sla_menus.xml",
    ],
    "demo": [
        "demo/resource_calendar_demo.xml",
        "demo/qubiq_helpdesk_sla_demo.xml",
    ],
    "post_init_hook": "post_init_hook",
    "installable": True,
    "development_status": "Beta",
}
