# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Helpdesk After-Sales: Sales Links (Qubiq)",
    "summary": "Link a helpdesk ticket to the sale order, product and lot/serial "
    "it is about",
    "version": "17.0.1.0.1",
    "category": "After-Sales",
    "license": "AGPL-3",
    "author": "Qubiq",
    "website": "https://github.com/qubiq/helpdesk",
    "depends": ["qubiq_helpdesk_aftersales", "sale_stock"],
    "data": [
        "views/helpdesk_ticket_views.xml",
    ],
    "demo": ["demo/qubiq_helpdesk_aftersales_sale_demo.xml"],
    "installable": True,
}
