/** @odoo-module */
/* License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";

// A helpdesk manager ticks Refunds (its add-on "not installed"): saving asks first;
// cancelled, nothing is saved; confirmed, the team is saved (the install is
// recorded by the Python test) and the page reloads. Data: the Python test.
registry.category("web_tour.tours").add("qubiq_helpdesk_aftersales_team_switches", {
    test: true,
    steps: () => [
        {
            content: "Refunds is offered, its add-on not installed",
            trigger: "div[name='aftersales_options'] .badge:contains('Add-on not installed')",
            run: () => {},
        },
        {
            content: "Tick Refunds",
            trigger: "div[name='use_aftersales_refund'] input",
        },
        {
            content: "The form says what saving installs",
            trigger:
                "div[name='aftersales_install_alert']:contains('Helpdesk After-Sales: Refunds')",
            run: () => {},
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
        },
        {
            content: "A dialog asks first; cancel",
            trigger: ".modal-dialog:contains('Saving this team installs') .modal-footer .btn-secondary",
        },
        {
            content: "Still unsaved: save again (the page is marked to see it reload)",
            trigger: "body:not(:has(.modal-dialog)) .o_form_button_save",
            run: (actions) => {
                document.body.classList.add("o_qubiq_before_reload");
                actions.click();
            },
        },
        {
            content: "Confirm",
            trigger: ".modal-dialog .btn-primary:contains('Install and save')",
        },
        {
            content: "The page reloaded, with the team saved",
            trigger:
                "body:not(.o_qubiq_before_reload) .o_form_saved div[name='use_aftersales_refund'] input:checked",
            isCheck: true,
        },
    ],
});
