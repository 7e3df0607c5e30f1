/** @odoo-module **/
import {missingDetails, titleWarnings} from "@qubiq_helpdesk_portal/js/ticket_quality.esm";
import publicWidget from "@web/legacy/js/public/public_widget";

/**
 * Live coaching on the portal's new-ticket form: the hints rendered (and translated)
 * by the server are shown or hidden as the customer types, with the same rules the
 * server applies when the form comes back. The Critical panel (emergency phone and
 * confirmation) opens when the top priority is chosen.
 */
publicWidget.registry.QubiqTicketForm = publicWidget.Widget.extend({
    selector: ".o_qubiq_ticket_form",
    events: {
        "input input[name='subject']": "_onTitleInput",
        "input textarea": "_onDetailsInput",
        "input input[name='user_name']": "_onDetailsInput",
        "input input[name='company_name']": "_onDetailsInput",
        "change input[name='attachment']": "_onDetailsInput",
        "change input[name='priority']": "_onPriorityChange",
    },

    start() {
        this._updateTitle();
        this._updateDetails();
        this._updatePriority();
        return this._super(...arguments);
    },

    _value(name) {
        const field = this.el.querySelector(`[name='${name}']`);
        return field ? field.value.trim() : "";
    },

    _toggle(prefix, codes) {
        for (const hint of this.el.querySelectorAll(`[data-qubiq-hint^='${prefix}:']`)) {
            const code = hint.dataset.qubiqHint.slice(prefix.length + 1);
            const active = codes.includes(code);
            if (hint.classList.contains("o_qubiq_check")) {
                hint.classList.toggle("o_qubiq_check_missing", active);
                hint.classList.toggle("o_qubiq_check_ok", !active);
            } else {
                hint.classList.toggle("d-none", !active);
            }
        }
    },

    _updateTitle() {
        const title = this._value("subject");
        this._toggle("title", title ? titleWarnings(title) : []);
    },

    _updateDetails() {
        const text = ["description", "steps", "error_text"]
            .map((name) => this._value(name))
            .join(" ");
        const attachment = this.el.querySelector("input[name='attachment']");
        const hasFiles = Boolean(attachment && attachment.files.length);
        const multiCompany = this.el.dataset.multiCompany === "1";
        const drop = new Set();
        if (this._value("user_name")) {
            drop.add("user");
        }
        if (this._value("company_name")) {
            drop.add("company");
        }
        if (this._value("steps")) {
            drop.add("steps");
        }
        if (this._value("error_text")) {
            drop.add("evidence");
        }
        const codes = missingDetails(text, hasFiles, multiCompany).filter(
            (code) => !drop.has(code)
        );
        this._toggle("detail", codes);
    },

    _updatePriority() {
        const checked = this.el.querySelector("input[name='priority']:checked");
        const panel = this.el.querySelector("#qubiq_critical_panel");
        if (panel) {
            panel.classList.toggle("d-none", !checked || checked.value !== "3");
        }
    },

    _onTitleInput() {
        this._updateTitle();
    },

    _onDetailsInput() {
        this._updateDetails();
    },

    _onPriorityChange() {
        this._updatePriority();
    },
});
