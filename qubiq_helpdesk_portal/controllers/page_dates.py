# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import babel.dates

from odoo import fields
from odoo.tools.misc import babel_locale_parse, posix_to_ldml


def date_formatter(env):
    """A function ``format(value, with_time=False)`` that writes a UTC datetime
    as the ``date`` widget does (or the ``datetime`` widget without seconds),
    in the user's language and time zone.

    For pages that show a date on every row: each widget looks up the language,
    parses its locale and converts its strftime format again for every value,
    which costs as much as the rest of the row. Here that is done once."""
    lang = env["ir.qweb.field"].user_lang()
    locale = babel_locale_parse(lang.code)
    date_pattern = posix_to_ldml(lang.date_format, locale=locale)
    datetime_pattern = (
        posix_to_ldml(f"{lang.date_format} {lang.time_format}", locale=locale)
        .replace(":ss", "")
        .replace(":s", "")
    )
    # context_timestamp reads the time zone of the context, else the user's.
    anchor = env["res.lang"]

    def format_value(value, with_time=False):
        if not value:
            return ""
        local = fields.Datetime.context_timestamp(anchor, value)
        if with_time:
            return babel.dates.format_datetime(
                local, format=datetime_pattern, locale=locale
            )
        return babel.dates.format_date(local, format=date_pattern, locale=locale)

    return format_value
