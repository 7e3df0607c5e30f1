/** @odoo-module **/
import {registry} from "@web/core/registry";

/**
 * Put files in an <input type="file"> the way a user picking them would.
 * @param {HTMLInputElement} input
 * @param {Array<[String, String, String]>} files name, content, mimetype
 */
function attachFiles(input, files) {
    const transfer = new DataTransfer();
    for (const [name, content, type] of files) {
        transfer.items.add(new File([content], name, {type}));
    }
    input.files = transfer.files;
    input.dispatchEvent(new Event("change", {bubbles: true}));
}

// A 1x1 PNG, so that the server recognises a real image.
const PNG = Uint8Array.from(
    atob(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    ),
    (char) => char.charCodeAt(0)
);

const DESCRIPTION = "Al validar la factura de compra me repite el número de la anterior.";

function expectValue(selector, expected) {
    return {
        content: `${selector} keeps what was typed`,
        trigger: selector,
        run() {
            const value = this.$anchor[0].value;
            if (!value.includes(expected)) {
                throw new Error(`${selector} lost the text: "${value}"`);
            }
        },
    };
}

function expectHidden(anchor, selector, content) {
    // Tour triggers only match visible elements: check a hidden one from its anchor.
    return {
        content,
        trigger: anchor,
        run() {
            const element = document.querySelector(selector);
            if (!element || !element.classList.contains("d-none")) {
                throw new Error(`${selector} should be hidden`);
            }
        },
    };
}

registry.category("web_tour.tours").add("qubiq_helpdesk_portal_ticket_tour", {
    test: true,
    url: "/my",
    steps: () => [
        {
            content: "Open the new ticket form from the portal home",
            trigger: "button[name='create_new_ticket']",
        },
        {
            content: "A title in capitals saying URGENTE",
            trigger: ".o_qubiq_ticket_form input[name='subject']",
            run: "text URGENTE NO PUEDO FACTURAR",
        },
        {
            content: "The form warns gently about capitals",
            trigger: "[data-qubiq-hint='title:all_caps']:not(.d-none)",
            isCheck: true,
        },
        {
            content: "... and about writing URGENTE instead of choosing the priority",
            trigger: "[data-qubiq-hint='title:urgent']:not(.d-none)",
            isCheck: true,
        },
        {
            content: "A clear title instead",
            trigger: "input[name='subject']",
            run: "text Error de numeración al validar una factura de compra",
        },
        expectHidden(
            ".o_qubiq_title_examples",
            "[data-qubiq-hint='title:all_caps']",
            "The capitals warning is gone"
        ),
        expectHidden(
            ".o_qubiq_title_examples",
            "[data-qubiq-hint='title:urgent']",
            "The URGENTE warning is gone"
        ),
        {
            content: "What happens",
            trigger: "textarea[name='description']",
            run: `text ${DESCRIPTION}`,
        },
        {
            content: "The steps to reproduce",
            trigger: "textarea[name='steps']",
            run: "text Contabilidad / Facturas de proveedor > Nuevo > Validar",
        },
        {
            content: "The checklist ticks the steps off",
            trigger: "[data-qubiq-hint='detail:steps'].o_qubiq_check_ok",
            isCheck: true,
        },
        {
            content: "Choose Critical",
            trigger: "#qubiq_priority_3",
        },
        {
            content: "Critical shows the emergency phone and asks for a confirmation",
            trigger: "#qubiq_critical_panel:not(.d-none) .o_qubiq_emergency_phone:contains(931 797 762)",
            isCheck: true,
        },
        {
            content: "It is not an emergency after all: Normal",
            trigger: "#qubiq_priority_1",
        },
        expectHidden("#qubiq_priority_1:checked", "#qubiq_critical_panel", "The Critical panel closes"),
        {
            content: "Attach a file the portal does not accept",
            trigger: "input[name='attachment']",
            run() {
                attachFiles(this.$anchor[0], [
                    ["captura.png", PNG, "image/png"],
                    ["programa.exe", "MZ not a screenshot", "application/octet-stream"],
                ]);
            },
        },
        {
            content: "Send",
            trigger: ".o_qubiq_ticket_submit",
        },
        {
            content: "The server refuses the file and says why",
            trigger: ".o_qubiq_form_errors:contains(programa.exe)",
            isCheck: true,
        },
        expectValue("input[name='subject']", "Error de numeración al validar"),
        expectValue("textarea[name='description']", DESCRIPTION),
        expectValue("textarea[name='steps']", "Facturas de proveedor"),
        {
            content: "The form asks to attach the files again",
            trigger: ".o_qubiq_files_again",
            isCheck: true,
        },
        {
            content: "Attach the screenshot only",
            trigger: "input[name='attachment']",
            run() {
                attachFiles(this.$anchor[0], [["captura.png", PNG, "image/png"]]);
            },
        },
        {
            content: "Send again",
            trigger: ".o_qubiq_ticket_submit",
        },
        {
            content: "The ticket is created",
            trigger: ".o_qubiq_flash:contains(has been sent)",
            isCheck: true,
        },
        {
            content: "With the screenshot",
            trigger: "a:contains(captura.png)",
            isCheck: true,
        },
        {
            content: "Write a reply",
            trigger: "#qubiq_reply_message",
            run: "text Adjunto el registro completo del error.",
        },
        {
            content: "With a file",
            trigger: "#qubiq_reply_attachment",
            run() {
                attachFiles(this.$anchor[0], [
                    ["registro-error.txt", "Traceback (most recent call last):", "text/plain"],
                ]);
            },
        },
        {
            content: "Send the reply",
            trigger: ".o_qubiq_reply_send",
        },
        {
            content: "The reply is in the history",
            trigger: ".o_portal_chatter_message:contains(Adjunto el registro completo)",
            isCheck: true,
        },
        {
            content: "... with its file",
            trigger: ".o_portal_chatter_attachment_name:contains(registro-error.txt)",
            isCheck: true,
        },
        {
            content: "Close the ticket",
            trigger: "#qubiq_close",
        },
        {
            content: "Say why",
            trigger: "#qubiq_close_reason",
            run: "text Resuelto tras vuestra respuesta, gracias.",
        },
        {
            content: "Confirm",
            trigger: ".o_qubiq_close_confirm",
        },
        {
            content: "The ticket is closed and the faces are offered",
            trigger: ".o_qubiq_flash:contains(The ticket is closed)",
            isCheck: true,
        },
        {
            content: "Faces to rate it",
            trigger: ".o_qubiq_rate_now a[href*='/rate/']",
            isCheck: true,
        },
    ],
});

registry.category("web_tour.tours").add("qubiq_helpdesk_portal_rating_tour", {
    test: true,
    steps: () => [
        {
            content: "The click on the face from the e-mail is recorded; add a comment",
            trigger: ".o_rating_page_submit textarea[name='feedback']",
            run: "text Ha costado tres días y nadie me avisó del cambio.",
        },
        {
            content: "Send the comment",
            trigger: ".o_rating_page_submit button[type='submit']",
        },
        {
            content: "Thank you page",
            trigger: ".o_rating_page_thank_you",
            isCheck: true,
        },
    ],
});

registry.category("web_tour.tours").add("qubiq_helpdesk_portal_unhappy_tour", {
    test: true,
    url: "/web",
    steps: () => [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button",
        },
        {
            content: "Open Helpdesk",
            trigger: ".o_app[data-menu-xmlid='helpdesk_mgmt.helpdesk_ticket_main_menu']",
        },
        {
            content: "Open the unhappy customers",
            trigger:
                ".o_main_navbar [data-menu-xmlid='qubiq_helpdesk_portal.qubiq_satisfaction_followup_menu']",
        },
        {
            content: "The bad rating is waiting to be handled",
            trigger: ".o_data_row:contains(Muebles Ebro) .o_data_cell[name='name']",
        },
        {
            content: "The customer's comment is there",
            trigger: ".o_field_widget[name='feedback']:contains(nadie me avisó)",
            isCheck: true,
        },
        {
            content: "Write what was agreed",
            trigger: ".o_field_widget[name='resolution'] textarea",
            run: "text Llamada con Ana: revisamos juntos el proceso el lunes.",
        },
        {
            content: "Mark it as handled",
            trigger: "button[name='action_done']",
        },
        {
            content: "It is handled",
            trigger: "button[name='action_reopen']",
            isCheck: true,
        },
    ],
});
