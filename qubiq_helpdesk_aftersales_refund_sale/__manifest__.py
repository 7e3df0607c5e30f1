# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Helpdesk After-Sales: Refunds by Sales Order (Qubiq)",
    "summary": "Filter the invoices to refund from a ticket by its sales order, "
    "product and lot/serial",
    "version": "17.0.1.0.0",
    "category": "After-Sales",
    "license": "AGPL-3",
    "author": "Qubiq",
    "website": "https://github.com/qubiq/helpdesk",
    "depends": ["qubiq_helpdesk_aftersales_refund", "qubiq_helpdesk_aftersales_sale"],
    "data": [
        "wizards/account_move_reversal_views.xml",
    ],
    "auto_install": True,
    "installable": True,
}
