/** @odoo-module */
/* License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";

// The customer opens the estimate from their ticket page, signs the quotation in
// Odoo's sale portal and accepts it. Data: the Python test.
registry.category("web_tour.tours").add("qubiq_estimate_accept_tour", {
    test: true,
    steps: () => [
        {
            content: "The ticket page shows the estimate waiting for an answer",
            trigger: ".o_qubiq_portal_estimate a.btn-primary",
        },
        {
            content: "Sign the quotation",
            trigger: "a:contains('Sign')",
        },
        {
            content: "Choose a signature style",
            trigger: ".o_web_sign_auto_select_style button",
        },
        {
            content: "Pick one",
            trigger: ".o_web_sign_auto_select_style .dropdown-item:eq(1)",
        },
        {
            content: "Accept and sign",
            trigger: ".o_portal_sign_submit:enabled",
        },
        {
            content: "The quotation is confirmed",
            trigger: "#quote_content:contains('Thank You')",
            run: () => {
                window.location.href = window.location.origin + "/my";
            },
        },
        {
            content: "Back home",
            trigger: "nav",
            run: () => {},
        },
    ],
});
