# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Helpdesk Customer Portal (Qubiq)",
    "summary": "Company-wide ticket visibility, a coaching ticket form and "
    "satisfaction follow-up "
    "in the customer portal",
    "version": "17.0.1.0.0",
    "category": "After-Sales",
    "license": "AGPL-3",
    "author": "Qubiq",
    "website": "https://github.com/qubiq/helpdesk",
    "depends": [
        "qubiq_helpdesk_sla",
        "helpdesk_mgmt_rating",
        "portal",
    ],
    "data": ["security/ir.model.access.csv"],
    "installable": True,
    "development_status": "Alpha",
}
