/** @odoo-module */
/* License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";

// The customer opens their ticket in the portal, follows the on-site
// intervention planned from it and signs its report. Data: the Python test.
registry.category("web_tour.tours").add("qubiq_helpdesk_intervention_sign", {
    test: true,
    steps: () => [
        {
            content: "The ticket lists its on-site intervention, awaiting a signature",
            trigger:
                "div[name='ticket_interventions'] tr:contains('Cooling check') .badge:contains('To sign')",
            run: () => {},
        },
        {
            content: "Open the intervention task",
            trigger: "div[name='ticket_interventions'] a:contains('Cooling check')",
        },
        {
            content: "The task page shows the report to sign",
            trigger:
                "#task_intervention_report:contains('Fan replaced and tested')",
            run: () => {},
        },
        {
            content: "Open the signature dialog",
            trigger: "a[data-bs-target='#modal_intervention_sign']",
        },
        {
            content: "The signature widget is ready",
            trigger: ".o_portal_sign_submit:enabled",
            run: () => {},
        },
        {
            content: "Choose a signature style",
            trigger: ".o_web_sign_auto_select_style button",
        },
        {
            content: "Pick the fourth style",
            trigger:
                ".o_web_sign_auto_select_style .dropdown-item:eq(3)",
        },
        {
            content: "Sign",
            trigger: ".o_portal_sign_submit:enabled",
        },
        {
            content: "The report shows who signed it",
            trigger:
                "#task_intervention_report div[name='intervention_signature']:contains('Signed by')",
            run: () => {},
        },
        {
            content: "The customer is thanked for signing",
            trigger: "div[name='intervention_signed_message']",
            run: () => {},
        },
    ],
});
