/** @odoo-module */
/* License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";

// The customer's designated contact opens "My hours bank" from the portal home,
// reads the hours left and filters the consumption by period. Data: the Python test.
registry.category("web_tour.tours").add("qubiq_hours_bank_portal", {
    test: true,
    steps: () => [
        {
            content: "The portal home shows the hours left in the bank",
            trigger: ".o_portal_index_card:not(.d-none) a[href='/my/hours']:contains('15:00 h')",
        },
        {
            content: "The page shows the hours left, as the account manager sees them",
            trigger: ".o_portal_hours_bank .o_hours_value_remaining:contains('15:00')",
            run: () => {},
        },
        {
            content: "Time per ticket, with its billed time",
            trigger: ".o_hours_work_row:contains('Informe de ventas'):contains('2:00')",
            run: () => {},
        },
        {
            content: "Filter on last month",
            trigger: "select[name='period']",
            run: "text last_month",
        },
        {
            content: "Last month: 3:00 billed, the stock at its end",
            trigger: ".o_portal_hours_bank .o_hours_value_consumed_billed:contains('3:00')",
            run: () => {},
        },
        {
            content: "The statement of that period can be downloaded",
            trigger: "a.o_hours_statement_download[href*='period=last_month']",
            run: () => {},
        },
    ],
});
