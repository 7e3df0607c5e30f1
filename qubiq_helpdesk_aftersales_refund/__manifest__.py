# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Helpdesk After-Sales: Refunds (Qubiq)",
    "summary": "Issue credit notes from a helpdesk ticket with Odoo's reversal wizard",
    "version": "17.0.1.1.0",
    "category": "After-Sales",
    "license": "AGPL-3",
    "author": "Qubiq",
    "website": "https://github.com/qubiq/helpdesk",
    "depends": ["qubiq_helpdesk_aftersales", "account"],
    "data": [
        "views/helpdesk_ticket_views.xml",
        "views/account_move_views.xml",
        "wizards/account_move_reversal_views.xml",
    ],
    "demo": ["demo/qubiq_helpdesk_aftersales_refund_demo.xml"],
    "installable": True,
}
