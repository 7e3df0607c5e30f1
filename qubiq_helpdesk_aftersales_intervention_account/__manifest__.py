# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Helpdesk After-Sales: Intervention Parts Invoiced (Qubiq)",
    "summary": "The billable parts of a signed on-site intervention go on a "
    "draft customer invoice",
    "version": "17.0.1.0.0",
    "category": "After-Sales",
    "license": "AGPL-3",
    "author": "Qubiq",
    "website": "https://github.com/qubiq/helpdesk",
    "depends": ["qubiq_helpdesk_aftersales_intervention", "account"],
    "data": [
        "views/project_task_views.xml",
    ],
    "auto_install": True,
    "installable": True,
}
