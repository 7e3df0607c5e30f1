# Copyright 2026 Qubiq
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What a good ticket says (title, user, company, steps, evidence), as cheap heuristics.

Plain Python, no Odoo import: the backend form (hints for the agent) and the portal form
(coaching for the customer) both call it. Each check returns stable codes; the callers
turn them into translated sentences.

A good ticket has a clear title (not "URGENTE! NO PUEDO FACTURAR"), a body that says
which user and, for multi-company customers, which company, the steps that lead to the
error, and full-screen screenshots or the full error text.
"""

import re
from html import unescape

# Words that say "urgent" in the title instead of in the priority.
_URGENT = re.compile(r"\b(urgente|urgent|urgentísimo|asap|importante)\b", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"\s+")
# A body that mentions the user it happens with.
_USER = re.compile(
    r"\b(usuari[oa]s?|user|login|desde (mi|el|la) (usuario|cuenta)|con (mi|el) usuario|"
    r"como (admin|administrador))\b",
    re.IGNORECASE,
)
# ... the company (multi-company customers).
_COMPANY = re.compile(
    r"\b(compañía|compania|empresa|company|sociedad)\b", re.IGNORECASE
)
# ... the steps: a menu path (Contabilidad/Facturas), a numbered list or step words.
_STEPS = re.compile(
    r"([^\W\d_]{3,}\s*[/>]\s*[^\W\d_]{3,})|(^|\n)\s*\d+[.)-]\s|"
    r"\b(pasos?|he (clicado|pulsado|hecho clic|"
    r"entrado|ido)|al (validar|guardar|confirmar|pulsar|crear)|step|clicked|then)\b",
    re.IGNORECASE,
)
# ... the error text itself (a traceback or an Odoo error dialog copied).
_ERROR_TEXT = re.compile(
    r"(Traceback|Error:|Exception|odoo\.exceptions|UserError|ValidationError|"
    r"RPC_ERROR|File \"|line \d+)",
    re.IGNORECASE,
)
MIN_BODY_WORDS = 15


def plain_text(html):
    """The visible text of an HTML body, whitespace collapsed."""
    return _SPACES.sub(" ", unescape(_TAGS.sub(" ", html or ""))).strip()


def title_warnings(title):
    """Codes of what is wrong with a title: 'empty', 'all_caps', 'urgent',
    'too_short'."""
    title = (title or "").strip()
    if not title:
        return ["empty"]
    warnings = []
    letters = [char for char in title if char.isalpha()]
    if len(letters) >= 6 and all(char.isupper() for char in letters):
        warnings.append("all_caps")
    if _URGENT.search(title):
        warnings.append("urgent")
    if len(title.split()) < 3:
        warnings.append("too_short")
    return warnings


def missing_details(body_html, has_attachments=False, multi_company=False):
    """Codes of what a ticket body leaves out: 'short', 'user', 'company', 'steps',
    'evidence' (neither attachments nor the error text)."""
    text = plain_text(body_html)
    missing = []
    if len(text.split()) < MIN_BODY_WORDS:
        missing.append("short")
    if not _USER.search(text):
        missing.append("user")
    if multi_company and not _COMPANY.search(text):
        missing.append("company")
    if not _STEPS.search(text):
        missing.append("steps")
    if not has_attachments and not _ERROR_TEXT.search(text):
        missing.append("evidence")
    return missing
