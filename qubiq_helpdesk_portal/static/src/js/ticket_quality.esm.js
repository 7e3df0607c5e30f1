/** @odoo-module **/
/*
 * Mirror of qubiq_helpdesk_sla/models/ticket_quality.py (seed 000, "Cómo detallar un
 * ticket") for the live hints of the portal form. Same codes, same rules: Python's
 * Unicode \b and \w are spelled out with \p{L}\p{N}_ look-arounds because JavaScript's
 * \b only knows ASCII. tests/test_ticket_quality_js.py runs one table of cases through
 * both implementations in the browser.
 */

const W = "[\\p{L}\\p{N}_]";
const word = (body) => new RegExp(`(?<!${W})(?:${body})(?!${W})`, "iu");

const URGENT = word("urgente|urgent|urgentísimo|asap|importante");
const USER = word(
    "usuari[oa]s?|user|login|desde (?:mi|el|la) (?:usuario|cuenta)|con (?:mi|el) usuario|" +
        "como (?:admin|administrador)"
);
const COMPANY = word("compañía|compania|empresa|company|sociedad");
const STEPS = new RegExp(
    "(?:\\p{L}{3,}\\s*[/>]\\s*\\p{L}{3,})|(?:^|\\n)\\s*\\p{Nd}+[.)-]\\s|" +
        `(?<!${W})(?:pasos?|he (?:clicado|pulsado|hecho clic|entrado|ido)|` +
        `al (?:validar|guardar|confirmar|pulsar|crear)|step|clicked|then)(?!${W})`,
    "iu"
);
const ERROR_TEXT = new RegExp(
    'Traceback|Error:|Exception|odoo\\.exceptions|UserError|ValidationError|RPC_ERROR|File "|line \\p{Nd}+',
    "iu"
);
export const MIN_BODY_WORDS = 15;

function unescapeHtml(text) {
    const area = document.createElement("textarea");
    area.innerHTML = text;
    return area.value;
}

function words(text) {
    return text.split(/\s+/u).filter(Boolean);
}

/** The visible text of an HTML body, whitespace collapsed. */
export function plainText(html) {
    const text = unescapeHtml((html || "").replace(/<[^>]+>/g, " "));
    return text.replace(/\s+/gu, " ").trim();
}

/** Codes of what is wrong with a title: empty, all_caps, urgent, too_short. */
export function titleWarnings(title) {
    const text = (title || "").trim();
    if (!text) {
        return ["empty"];
    }
    const warnings = [];
    const letters = [...text].filter((char) => /\p{L}/u.test(char));
    if (letters.length >= 6 && letters.every((char) => /\p{Lu}/u.test(char))) {
        warnings.push("all_caps");
    }
    if (URGENT.test(text)) {
        warnings.push("urgent");
    }
    if (words(text).length < 3) {
        warnings.push("too_short");
    }
    return warnings;
}

/** Codes of what a ticket body leaves out: short, user, company, steps, evidence. */
export function missingDetails(bodyHtml, hasAttachments = false, multiCompany = false) {
    const text = plainText(bodyHtml);
    const missing = [];
    if (words(text).length < MIN_BODY_WORDS) {
        missing.push("short");
    }
    if (!USER.test(text)) {
        missing.push("user");
    }
    if (multiCompany && !COMPANY.test(text)) {
        missing.push("company");
    }
    if (!STEPS.test(text)) {
        missing.push("steps");
    }
    if (!hasAttachments && !ERROR_TEXT.test(text)) {
        missing.push("evidence");
    }
    return missing;
}
