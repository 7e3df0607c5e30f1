# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Helpdesk After-Sales: On-site Interventions (Qubiq)",
    "summary": "Plan on-site intervention tasks from a helpdesk ticket, "
    "followed by the customer in the portal",
    "version": "17.0.1.1.0",
    "category": "After-Sales",
    "license": "AGPL-3",
    "author": "Qubiq",
    "website": "https://github.com/qubiq/helpdesk",
    "depends": ["qubiq_helpdesk_aftersales", "project", "helpdesk_mgmt_project"],
    "data": [
        "security/ir.model.access.csv",
        "views/helpdesk_ticket_team_views.xml",
        "views/helpdesk_ticket_views.xml",
        "views/project_task_views.xml",
        "views/project_task_templates.xml",
        "views/helpdesk_ticket_templates.xml",
        "report/project_task_intervention_report.xml",
        "wizards/qubiq_helpdesk_intervention_wizard_views.xml",
        # scheduling: slot, technician, conflicts, planning, customer mails
        "data/mail_template_intervention_slot.xml",
        "views/project_task_schedule_views.xml",
        "views/project_task_schedule_templates.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "qubiq_helpdesk_aftersales_intervention/static/tests/tours/*.esm.js",
        ],
    },
    "demo": [
        "demo/qubiq_helpdesk_aftersales_intervention_demo.xml",
        "demo/project_task_schedule_demo.xml",
    ],
    "installable": True,
}
