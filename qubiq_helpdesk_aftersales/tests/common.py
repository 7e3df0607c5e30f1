# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from lxml import etree

from odoo import Command
from odoo.tools.safe_eval import safe_eval
from odoo.tools.view_validation import get_expression_field_names


def ticket_button_visible(ticket, button_name):
    """Whether the ticket form shows the header button ``button_name``.

    Evaluated as the web client does, for the user of ``ticket.env``: the
    button is absent when the user lacks its groups, else its ``invisible``
    expression is evaluated on the ticket's values.
    """
    ticket.ensure_one()
    arch = etree.fromstring(ticket.get_view(view_type="form")["arch"])
    buttons = arch.xpath(f"//header//button[@name='{button_name}']")
    if not buttons:
        return False
    expression = buttons[0].get("invisible") or "False"
    values = {}
    for name in get_expression_field_names(expression):
        value = ticket[name]
        field = ticket._fields[name]
        if field.type == "many2one":
            value = value.id
        elif field.type in ("one2many", "many2many"):
            value = value.ids
        values[name] = value
    return not safe_eval(expression, values)


def activate_frontend_lang(env, code):
    """Activate language ``code`` for the portal pages the tests open.

    When ``website`` is installed (an optional add-on of the suite pulls it in)
    it serves only its own languages: the language must be one of them, else
    the portal falls back to the website's default language.
    """
    lang = env["res.lang"]._activate_lang(code)
    if "website" in env:  # fixtures only: adapt to the installed apps
        env["website"].search([]).write({"language_ids": [Command.link(lang.id)]})
    return lang
