# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Helpdesk After-Sales (Qubiq)",
    "summary": "Per-team after-sales switches and the ticket framework "
    "for refunds, coupons, returns, repairs and interventions",
    "version": "17.0.1.1.0",
    "category": "After-Sales",
    "license": "AGPL-3",
    "author": "Qubiq",
    "website": "https://github.com/qubiq/helpdesk",
    "depends": ["helpdesk_mgmt"],
    "data": [
        "views/helpdesk_ticket_team_views.xml",
        "views/helpdesk_ticket_views.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "qubiq_helpdesk_aftersales/static/src/views/*.esm.js",
        ],
        "web.assets_tests": [
            "qubiq_helpdesk_aftersales/static/tests/tours/*.esm.js",
        ],
    },
    "demo": ["demo/helpdesk_ticket_team_demo.xml"],
    "installable": True,
}
