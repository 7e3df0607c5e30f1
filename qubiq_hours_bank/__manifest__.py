# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Support Hours Bank (Qubiq)",
    "summary": "Prepaid support-hour packs consumed by ticket and task timesheets, "
    "billed in blocks",
    "version": "17.0.1.0.0",
    "category": "After-Sales",
    "license": "AGPL-3",
    "author": "Qubiq",
    "website": "https://github.com/qubiq/helpdesk",
    "depends": [
        "qubiq_helpdesk_sla",
        "helpdesk_mgmt_timesheet",
        "sale_timesheet",
    ],
    "data": ["security/ir.model.access.csv"],
    "installable": True,
    "development_status": "Alpha",
}
