# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The team form's after-sales block is now this add-on's own (every switch, even
of an add-on not installed): the capability add-ons' old extensions of it put
their switch inside groups (``aftersales_left``/``aftersales_right``) the new
form no longer has. They must go before any view of the team form is validated
again, else the update stops on the first add-on loaded after this one that
extends the team form (the SLA add-on does). The intervention add-on's view is
created again from its file when that add-on is updated."""

CAPABILITY_MODULES = (
    "qubiq_helpdesk_aftersales_coupon",
    "qubiq_helpdesk_aftersales_intervention",
    "qubiq_helpdesk_aftersales_refund",
    "qubiq_helpdesk_aftersales_repair",
    "qubiq_helpdesk_aftersales_return",
)


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        DELETE FROM ir_ui_view
         WHERE id IN (
               SELECT res_id FROM ir_model_data
                WHERE model = 'ir.ui.view'
                  AND name = 'view_helpdesk_team_form'
                  AND module IN %s)
        """,
        (CAPABILITY_MODULES,),
    )
    cr.execute(
        """
        DELETE FROM ir_model_data
         WHERE model = 'ir.ui.view'
           AND name = 'view_helpdesk_team_form'
           AND module IN %s
        """,
        (CAPABILITY_MODULES,),
    )
