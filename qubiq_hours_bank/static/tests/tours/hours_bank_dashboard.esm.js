/** @odoo-module */
/* License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";

// The account manager opens the hours bank dashboard, filters a period and a
// customer and opens the customer's bank. Data: the Python test.
registry.category("web_tour.tours").add("qubiq_hours_bank_dashboard", {
    test: true,
    steps: () => [
        {
            content: "Choose the customer",
            trigger: ".o_hours_dashboard select.o_hours_customer",
            run: "text Bodegas Sierra Alta",
        },
        {
            content: "The dashboard shows the customer's remaining stock",
            trigger: ".o_hours_dashboard .o_hours_kpi_remaining .o_hours_kpi_value:contains('15:00')",
            run: () => {},
        },
        {
            content: "Filter on last month",
            trigger: ".o_hours_dashboard select.o_hours_period",
            run: "text last_month",
        },
        {
            content: "Last month: 3:00 billed",
            trigger: ".o_hours_kpi_consumed_billed .o_hours_kpi_value:contains('3:00')",
            run: () => {},
        },
        {
            content: "Hours per ticket of the period",
            trigger: ".o_hours_works tr:contains('Error al facturar'):contains('3:00')",
            run: () => {},
        },
        {
            content: "Open the customer's bank",
            trigger: ".o_hours_customer_row:contains('Bodegas Sierra Alta')",
        },
        {
            content: "The bank's form shows the same remaining hours",
            trigger: ".o_form_view .o_field_widget[name='remaining_hours']:contains('15:00')",
            run: () => {},
        },
    ],
});
