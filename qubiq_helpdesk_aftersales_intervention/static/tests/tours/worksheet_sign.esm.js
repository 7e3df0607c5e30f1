/** @odoo-module */
/* License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";

// The customer reads the worksheet of their on-site intervention (answers,
// photo, parts, time) and signs it. Data: tests/test_worksheet_portal.py.
registry.category("web_tour.tours").add("qubiq_helpdesk_worksheet_sign", {
    test: true,
    steps: () => [
        {
            content: "The checklist shows what was checked and what was not",
            trigger:
                "#task_intervention_report div[name='worksheet_answers'] tr:contains('Serial number checked') span[name='answer_yes']",
            run: () => {},
        },
        {
            content: "An unticked item shows as not done",
            trigger:
                "#task_intervention_report div[name='worksheet_answers'] tr:contains('Cables tidied') span[name='answer_no']",
            run: () => {},
        },
        {
            content: "The free-text answer",
            trigger:
                "#task_intervention_report div[name='worksheet_answers']:contains('Power supply overheating: replaced.')",
            run: () => {},
        },
        {
            content: "The photo",
            trigger:
                "#task_intervention_report div[name='worksheet_photo']:contains('Photo of the unit') img",
            run: () => {},
        },
        {
            content: "The parts used",
            trigger:
                "#task_intervention_report div[name='worksheet_parts']:contains('Power supply 24 V')",
            run: () => {},
        },
        {
            content: "The time spent",
            trigger:
                "#task_intervention_report td[name='worksheet_total']:contains('01:45')",
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
            trigger: ".o_web_sign_auto_select_style .dropdown-item:eq(3)",
        },
        {
            content: "Sign",
            trigger: ".o_portal_sign_submit:enabled",
        },
        {
            content: "The worksheet is signed",
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
