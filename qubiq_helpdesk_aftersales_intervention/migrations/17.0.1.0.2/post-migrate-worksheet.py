# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""17.0.1.0.2: the report goes to the customer's signature with an explicit
"Ready for Signature" step (``intervention_ready``). Reports that were already
waiting for the signature (a written report) or signed stay so."""

from odoo import SUPERUSER_ID, api
from odoo.tools import is_html_empty


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    tasks = (
        env["project.task"]
        .with_context(active_test=False)
        .search([("intervention_sign_required", "=", True)])
    )
    ready = tasks.filtered(
        lambda task: (
            task.intervention_signature or not is_html_empty(task.intervention_report)
        )
    )
    if ready:
        # a plain column set: the readiness check and the signature lock
        # (write()) are for users, not for this upgrade
        cr.execute(
            "UPDATE project_task SET intervention_ready = TRUE WHERE id IN %s",
            (tuple(ready.ids),),
        )
        ready.invalidate_recordset(["intervention_ready"])
