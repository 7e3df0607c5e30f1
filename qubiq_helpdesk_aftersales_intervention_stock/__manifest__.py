# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Helpdesk After-Sales: Intervention Parts from Stock (Qubiq)",
    "summary": "The parts used in a signed on-site intervention leave the "
    "technician's van stock for the customer",
    "version": "17.0.1.0.1",
    "category": "After-Sales",
    "license": "AGPL-3",
    "author": "Qubiq",
    "website": "https://github.com/qubiq/helpdesk",
    "depends": ["qubiq_helpdesk_aftersales_intervention", "stock"],
    "data": [
        "views/res_users_views.xml",
        "views/project_task_views.xml",
    ],
    "auto_install": True,
    "installable": True,
}
