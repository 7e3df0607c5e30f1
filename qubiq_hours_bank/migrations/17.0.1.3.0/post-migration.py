# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Low-balance warnings have their own activity type now ("Hours bank running
low"), so that a bank running low again updates the open warning instead of adding
a second one. The open warnings of the shared "Hours bank" type move to it: they
are the ones with its default summary, in any language it is translated to (the
expired-pack warnings have another summary and stay)."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE mail_activity activity
           SET activity_type_id = low.res_id
          FROM ir_model_data shared, ir_model_data low, mail_activity_type kind
         WHERE shared.module = 'qubiq_hours_bank'
           AND shared.name = 'mail_activity_type_hours_bank'
           AND low.module = 'qubiq_hours_bank'
           AND low.name = 'mail_activity_type_hours_low'
           AND kind.id = shared.res_id
           AND activity.activity_type_id = shared.res_id
           AND activity.res_model = 'qubiq.hours.bank'
           AND activity.summary IN (SELECT value FROM jsonb_each_text(kind.summary))
        """
    )
