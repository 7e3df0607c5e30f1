/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {Component, onWillStart, useState} from "@odoo/owl";
import {deserializeDate, formatDate} from "@web/core/l10n/dates";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {useService} from "@web/core/utils/hooks";

/**
 * Hours H:MM, as the bank's form, the portal and the statement show them.
 * @param {Number} hours
 * @returns {String}
 */
export function formatHours(hours) {
    const sign = hours < 0 ? "-" : "";
    const minutes = Math.round(Math.abs(hours || 0) * 60);
    return `${sign}${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, "0")}`;
}

export class HoursBankDashboard extends Component {
    static template = "qubiq_hours_bank.HoursBankDashboard";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        const context = this.props.action?.context || {};
        this.state = useState({
            period: context.hours_period || "all",
            dateFrom: "",
            dateTo: "",
            mine: Boolean(context.hours_mine),
            bankId: context.hours_bank_id || false,
            data: null,
        });
        this.formatHours = formatHours;
        onWillStart(() => this.load());
    }

    get periods() {
        // The named periods and their translated labels, from the server.
        return this.state.data.periods;
    }

    get kpis() {
        const totals = this.totals;
        return [
            {key: "contracted", label: _t("Contracted"), hint: _t("Packs starting in the period"), cls: ""},
            {
                key: "consumed_billed",
                label: _t("Consumed (billed)"),
                hint: _t("Real time: %s", formatHours(totals.consumed_real)),
                cls: "",
            },
            {
                key: "not_invoiced",
                label: _t("Not invoiced"),
                hint: _t("Overage and development apart"),
                cls: totals.not_invoiced ? "text-warning" : "",
            },
            {
                key: "remaining",
                label: _t("Remaining stock"),
                hint: _t("Of %s in force", formatHours(totals.in_force)),
                cls: "text-primary",
            },
            {
                key: "overage",
                label: _t("Overage"),
                hint: _t("Billed beyond the packs"),
                cls: totals.overage ? "text-danger" : "",
            },
            {key: "expired", label: _t("Expired unused"), hint: _t("Hours lost at expiry"), cls: ""},
        ];
    }

    get totals() {
        return this.state.data.totals;
    }

    get customers() {
        return this.state.data.customers;
    }

    get shownCustomers() {
        const {bankId} = this.state;
        return bankId ? this.customers.filter((c) => c.id === bankId) : this.customers;
    }

    async load() {
        const {period, dateFrom, dateTo, mine, bankId} = this.state;
        this.state.data = await this.orm.call("qubiq.hours.dashboard", "hours_dashboard", [], {
            period: period === "custom" ? false : period,
            date_from: period === "custom" ? dateFrom || false : false,
            date_to: period === "custom" ? dateTo || false : false,
            bank_ids: bankId ? [bankId] : false,
            mine,
        });
        if (!this.state.allCustomers || !bankId) {
            this.state.allCustomers = this.state.data.customers.map((c) => [c.id, c.name]);
        }
    }

    onPeriodChange(ev) {
        this.state.period = ev.target.value;
        if (this.state.period !== "custom") {
            this.load();
        }
    }

    onDateChange(field, ev) {
        this.state[field] = ev.target.value;
        this.load();
    }

    onCustomerChange(ev) {
        this.state.bankId = parseInt(ev.target.value, 10) || false;
        this.load();
    }

    onToggleMine(ev) {
        this.state.mine = ev.target.checked;
        this.state.bankId = false;
        this.state.allCustomers = null;
        this.load();
    }

    percent(part, whole) {
        if (!whole) {
            return 0;
        }
        return Math.max(0, Math.min(100, Math.round((100 * part) / whole)));
    }

    get kindTotal() {
        return this.totals.development + this.totals.incident;
    }

    get monthMax() {
        return Math.max(1, ...this.state.data.months.map((m) => m.development + m.incident));
    }

    formatDay(iso) {
        return iso ? formatDate(deserializeDate(iso)) : "";
    }

    monthLabel(iso) {
        const [year, month] = iso.split("-");
        return `${month}/${year.slice(2)}`;
    }

    stateLabel(key) {
        return this.state.data.states[key] || key;
    }

    openBank(bankId) {
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "qubiq.hours.bank",
            res_id: bankId,
            views: [[false, "form"]],
        });
    }

    openWork(work) {
        if (!work.model) {
            return;
        }
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: work.model,
            res_id: work.res_id,
            views: [[false, "form"]],
        });
    }

    openAnalysis() {
        const domain = [["bank_id", "in", this.state.data.bank_ids]];
        if (this.state.data.date_from) {
            domain.push(["date", ">=", this.state.data.date_from]);
        }
        domain.push(["date", "<=", this.state.data.date_to]);
        this.action.doAction("qubiq_hours_bank.qubiq_hours_bank_report_action", {
            additionalContext: {search_default_date: 0},
            props: {domain},
        });
    }

    printStatement() {
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "qubiq.hours.statement.wizard",
            views: [[false, "form"]],
            target: "new",
            context: {
                default_bank_ids: this.state.bankId ? [this.state.bankId] : this.state.data.bank_ids,
                default_period: this.state.period,
                default_date_from: this.state.data.date_from,
                default_date_to: this.state.data.date_to,
            },
        });
    }
}

registry.category("actions").add("qubiq_hours_bank.dashboard", HoursBankDashboard);
