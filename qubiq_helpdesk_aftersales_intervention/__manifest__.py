# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Helpdesk After-Sales: On-site Interventions (Qubiq)",
    "summary": "Plan on-site intervention tasks from a helpdesk ticket, "
    "followed by the customer in the portal",
    "version": "17.0.1.2.1",
    "category": "After-Sales",
    "license": "AGPL-3",
    "author": "Qubiq",
    "website": "https://github.com/qubiq/helpdesk",
    "depends": [
        "qubiq_helpdesk_aftersales",
        "project",
        "helpdesk_mgmt_project",
        # Worksheets (issue 15): time on site on the task and its ticket
        # (hr_timesheet, with start/end times from project_timesheet_time_control),
        # parts used (product)
        "helpdesk_mgmt_timesheet",
        "product",
    ],
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
        # Worksheets (issue 15)
        "security/qubiq_worksheet_security.xml",
        "data/mail_template_intervention_signed.xml",
        "views/qubiq_worksheet_template_views.xml",
        "views/project_project_views.xml",
        "views/project_task_worksheet_views.xml",
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
