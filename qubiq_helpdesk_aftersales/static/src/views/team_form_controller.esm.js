/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {ConfirmationDialog} from "@web/core/confirmation_dialog/confirmation_dialog";
import {FormController} from "@web/views/form/form_controller";
import {_t} from "@web/core/l10n/translation";
import {formView} from "@web/views/form/form_view";
import {registry} from "@web/core/registry";
import {useService} from "@web/core/utils/hooks";

/**
 * Helpdesk team form: saving after-sales switches whose add-on is not installed
 * installs it (server side, in write); the manager confirms first, as the server
 * gives in aftersales_install_message, and the page reloads afterwards to show
 * the new add-on's menus, buttons and options.
 */
export class AftersalesTeamFormController extends FormController {
    setup() {
        super.setup();
        this.actionService = useService("action");
        this.aftersalesInstalling = false;
    }

    async onWillSaveRecord(record) {
        const message = record.data.aftersales_install_message;
        if (!message) {
            return super.onWillSaveRecord(...arguments);
        }
        const confirmed = await new Promise((resolve) => {
            this.dialogService.add(
                ConfirmationDialog,
                {
                    title: _t("Install the after-sales add-ons?"),
                    body: _t(
                        "Saving this team installs:\n%s\n\nInstalling takes a minute; then the page reloads.",
                        message
                    ),
                    confirmLabel: _t("Install and save"),
                    confirm: () => resolve(true),
                    cancel: () => resolve(false),
                },
                {onClose: () => resolve(false)}
            );
        });
        if (!confirmed) {
            return false;
        }
        this.aftersalesInstalling = true;
        return true;
    }

    async onRecordSaved() {
        await super.onRecordSaved(...arguments);
        if (this.aftersalesInstalling) {
            this.aftersalesInstalling = false;
            await this.actionService.doAction({type: "ir.actions.client", tag: "reload"});
        }
    }

    beforeUnload(ev) {
        // Closing the tab saves without asking: never install unconfirmed.
        if (this.model.root.data.aftersales_install_message) {
            ev.preventDefault();
            ev.returnValue = "Unsaved changes";
            return;
        }
        return super.beforeUnload(...arguments);
    }
}

registry.category("views").add("qubiq_aftersales_team_form", {
    ...formView,
    Controller: AftersalesTeamFormController,
});
