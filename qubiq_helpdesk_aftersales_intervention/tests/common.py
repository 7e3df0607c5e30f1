# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64

from odoo.tools import file_open

# A real PNG, as the portal signature widget sends it (base64, no data-URI prefix).
with file_open("web/static/img/logo.png", "rb") as _logo:
    SIGNATURE = base64.b64encode(_logo.read()).decode()
