# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Helpdesk After-Sales: Returns (Qubiq)",
    "summary": "Return a customer's delivery, or exchange it, from a helpdesk ticket",
    "version": "17.0.1.0.2",
    "category": "After-Sales",
    "license": "AGPL-3",
    "author": "Qubiq",
    "website": "https://github.com/qubiq/helpdesk",
    "depends": ["qubiq_helpdesk_aftersales_sale"],
    "data": [
        "views/helpdesk_ticket_views.xml",
        "views/stock_picking_views.xml",
        "views/helpdesk_ticket_templates.xml",
        "wizards/stock_return_picking_views.xml",
    ],
    "demo": ["demo/qubiq_helpdesk_aftersales_return_demo.xml"],
    "installable": True,
}
