# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Interventions planned before the slot existed had their planned date in the
task's deadline: it becomes the start of a one-hour slot (the wizard's default
length), so that they show in the planning. No mail: the customer was told."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE project_task
           SET intervention_planned_start = date_deadline,
               intervention_planned_end = date_deadline + interval '1 hour'
         WHERE helpdesk_ticket_id IS NOT NULL
           AND date_deadline IS NOT NULL
           AND intervention_planned_start IS NULL
        """
    )
