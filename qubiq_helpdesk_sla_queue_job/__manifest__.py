# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Helpdesk SLA: re-targets as queued jobs (Qubiq)",
    "summary": "Re-target thousands of open SLA clocks in OCA queue_job batches "
    "after a holiday, calendar, policy or contract change",
    "version": "17.0.1.0.0",
    "category": "Helpdesk",
    "license": "AGPL-3",
    "author": "Qubiq",
    "website": "https://github.com/qubiq/helpdesk",
    "depends": ["qubiq_helpdesk_sla", "queue_job"],
    "auto_install": True,
    "installable": True,
}
